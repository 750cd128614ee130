"""The golden cases of how a deadline is worded (shared.rules.deadlines), and the code paths that
word it: the alerts, the dashboard's page filter and the task tables (pages and Excel)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from commitments.domain.deadlines import parse_deadline
from commitments.integration.values import deadline_v1
from notifications.domain.messages import message
from notifications.domain.rules import RuleConfig, overdue
from reporting.exports.formatting import environment
from shared.catalog import organisation
from shared.rules.deadlines import deadline_wording
from shared.vn import end_of_day
from tests.unit.notifications.builders import facts

CASES = [("6/2025", "6/2025"), ("Quý III/2025", "Quý III/2025"), ("", "cả năm"), ("  ", "cả năm")]


@pytest.mark.parametrize(("written", "wording"), CASES)
def test_the_rule_and_the_pages_filter(written: str, wording: str) -> None:
    assert deadline_wording(written) == wording
    assert environment([]).from_string("{{ text | deadline_wording }}").render(text=written) == wording


@pytest.mark.parametrize(("written", "wording"), CASES)
def test_the_overdue_alert(written: str, wording: str) -> None:
    due = deadline_v1(parse_deadline(written), 2025).due_at
    task = facts(deadline_text=written.strip(), due_at=due)
    firing = overdue(task, due + (datetime(2026, 1, 2, tzinfo=UTC) - end_of_day(date(2025, 12, 31))), RuleConfig())
    assert firing is not None
    text = message(firing, task, organisation())
    assert f"đã quá hạn ({wording}, hạn " in text and "(, hạn" not in text


def test_a_task_without_a_written_deadline_is_due_on_31_12_of_its_year() -> None:
    assert deadline_v1(parse_deadline(""), 2025).due_at == end_of_day(date(2025, 12, 31))
