"""Deadlines as written and their effective end in Vietnam's civil time (stored in UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commitments.domain.deadlines import DeadlineKind, parse_deadline
from commitments.domain.errors import InvalidValue
from shared.vn import VN_TZ


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("text", "kind", "end"), [
    ("6/2025", DeadlineKind.MONTH, utc(2025, 6, 30, 16, 59, 59)),  # 23:59:59 on 30/06/2025 in Vietnam
    ("tháng 6/2025", DeadlineKind.MONTH, utc(2025, 6, 30, 16, 59, 59)),
    ("Quý 1/2025", DeadlineKind.QUARTER, utc(2025, 3, 31, 16, 59, 59)),
    ("Quý III/2025", DeadlineKind.QUARTER, utc(2025, 9, 30, 16, 59, 59)),
    ("trong Quý 1/2025", DeadlineKind.QUARTER, utc(2025, 3, 31, 16, 59, 59)),
    ("Quý IV năm 2025", DeadlineKind.QUARTER, utc(2025, 12, 31, 16, 59, 59)),
    ("năm 2025", DeadlineKind.YEAR, utc(2025, 12, 31, 16, 59, 59)),
    ("Từ năm 2025", DeadlineKind.RECURRING_YEARLY, utc(2025, 12, 31, 16, 59, 59)),
    ("15h00 ngày 24/12/2025", DeadlineKind.EXACT, utc(2025, 12, 24, 8, 0)),
    ("2026 - 2030", DeadlineKind.MULTI_YEAR, utc(2030, 12, 31, 16, 59, 59)),
    ("giai đoạn 2026 – 2030", DeadlineKind.MULTI_YEAR, utc(2030, 12, 31, 16, 59, 59)),
    ("6 tháng đầu năm 2025", DeadlineKind.HALF_YEAR, utc(2025, 6, 30, 16, 59, 59)),
    ("ngày 30/06/2025", DeadlineKind.DAY, utc(2025, 6, 30, 16, 59, 59)),
])
def test_the_notices_wordings_are_read(text: str, kind: DeadlineKind, end: datetime) -> None:
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.ends_at, deadline.text) == (kind, end, text)


def test_no_deadline_falls_due_at_the_end_of_the_program_year() -> None:
    deadline = parse_deadline(None)
    assert deadline.kind is DeadlineKind.NONE and deadline.ends_at is None
    assert deadline.effective_end(2025) == utc(2025, 12, 31, 16, 59, 59)


def test_a_recurring_deadline_falls_due_every_year_from_its_first() -> None:
    deadline = parse_deadline("từ năm 2025")
    assert deadline.recurring
    assert deadline.effective_end(2025) == utc(2025, 12, 31, 16, 59, 59)
    assert deadline.effective_end(2027) == utc(2027, 12, 31, 16, 59, 59)


@pytest.mark.parametrize("text", ["13/2025", "Quý 5/2025", "31/02/2025", "25h00 ngày 24/12/2025", "2030 - 2026",
                                  "sớm nhất có thể", "6/20255"])
def test_impossible_or_unknown_deadlines_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidValue) as error:
        parse_deadline(text)
    assert error.value.field == "deadline"


@given(st.integers(1, 12), st.integers(2000, 2100))
def test_any_month_ends_on_its_last_second_in_vietnam(month: int, year: int) -> None:
    end = parse_deadline(f"{month}/{year}").ends_at
    assert end is not None
    next_moment = (end + timedelta(seconds=1)).astimezone(VN_TZ)
    assert (next_moment.day, next_moment.hour, next_moment.minute, next_moment.second) == (1, 0, 0, 0)


@given(st.integers(1, 4), st.sampled_from(["arabic", "roman"]), st.integers(2000, 2100))
def test_quarters_in_both_numerals_agree(q: int, numerals: str, year: int) -> None:
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[q]
    written = f"Quý {q if numerals == 'arabic' else roman}/{year}"
    assert parse_deadline(written).ends_at == parse_deadline(f"Quý {q}/{year}").ends_at


@given(st.integers(0, 23), st.integers(0, 59), st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_exact_times_are_seven_hours_ahead_of_utc(hour: int, minute: int, day: date) -> None:
    deadline = parse_deadline(f"{hour}h{minute:02d} ngày {day.day}/{day.month}/{day.year}")
    assert deadline.ends_at == datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@given(st.text(max_size=40))
def test_the_parser_never_fails_with_anything_but_a_domain_error(text: str) -> None:
    try:
        parse_deadline(text)
    except InvalidValue as error:
        assert error.field == "deadline"
