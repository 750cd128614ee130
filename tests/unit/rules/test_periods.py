"""The golden cases of period bounds and deadline ends (shared.periods, one Roman-numeral table), and
every code path that applies them: the write side's deadline parser, the deadline the readers receive
(DeadlineV1) and the reporting periods of reports and progress."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commitments.domain.deadlines import parse_deadline
from commitments.integration.values import deadline_v1
from shared.periods import ReportingPeriod
from shared.vn import end_of_day

# a deadline as written → the reporting period whose bounds it has
PERIODS = [
    ("6/2025", "2025-06"),
    ("tháng 6/2025", "2025-06"),
    ("2/2024", "2024-02"),  # a leap year's February ends on the 29th
    ("Quý 1/2025", "2025-Q1"),
    ("Quý III/2025", "2025-Q3"),
    ("quý IV năm 2025", "2025-Q4"),
    ("6 tháng đầu năm 2025", "2025-H1"),
    ("6 tháng cuối năm 2025", "2025-H2"),
    ("năm 2025", "2025"),
]


@pytest.mark.parametrize(("written", "code"), PERIODS)
def test_a_written_period_has_the_reporting_periods_bounds(written: str, code: str) -> None:
    period, deadline = ReportingPeriod.parse(code), parse_deadline(written)
    assert (deadline.starts_at, deadline.ends_at) == (period.starts_at, period.ends_at)
    assert deadline_v1(deadline, period.year).due_at == period.ends_at


@pytest.mark.parametrize(("written", "code"), [p for p in PERIODS if "Quý" in p[0]])
def test_the_quarters_label_is_read_back_as_the_same_quarter(written: str, code: str) -> None:
    label = ReportingPeriod.parse(code).label  # "Quý I/2025": the one Roman-numeral table
    assert parse_deadline(label).ends_at == parse_deadline(written).ends_at


# deadlines that are not one reporting period: written, program year → when the task falls due
DUE = [
    ("", 2025, end_of_day(datetime(2025, 12, 31).date())),  # no written deadline: the year's end
    ("15h00 ngày 24/12/2025", 2025, datetime(2025, 12, 24, 8, tzinfo=UTC)),
    ("30/6/2025", 2025, end_of_day(datetime(2025, 6, 30).date())),
    ("từ năm 2025", 2026, end_of_day(datetime(2026, 12, 31).date())),  # recurring: each year's end
    ("2026 - 2030", 2025, end_of_day(datetime(2030, 12, 31).date())),
]


@pytest.mark.parametrize(("written", "year", "due"), DUE)
def test_when_a_task_falls_due(written: str, year: int, due: datetime) -> None:
    deadline = parse_deadline(written)
    assert deadline.effective_end(year) == due
    assert deadline_v1(deadline, year).due_at == due
