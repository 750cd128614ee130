"""The pace rule's golden cases (shared.rules.pace), and every service's code path that applies it:
the dashboard's forecast, the behind-pace alert and the audit's at-risk count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from commitments.application import commands as c
from commitments.audit.application.timetravel import judged
from notifications.domain.rules import RuleConfig, behind_pace
from reporting.domain.pace import forecast
from shared.rules.pace import Pace
from tests.unit.rules.stories import Story, utc

DONE_ON = utc(2025, 1, 20).date()


@dataclass(frozen=True)
class Case:
    name: str
    story: Story
    now: datetime
    pace: Pace


def reported(value: float | None, target: str = "ít nhất 10 doanh nghiệp", deadline: str = "năm 2025") -> Story:
    return Story(target, deadline).report(utc(2025, 1, 10), value) if value is not None else Story(target, deadline)


def closed(kind: type[c.Command], *more: type[c.Command]) -> Story:
    story = Story().report(utc(2025, 1, 10), 2)
    for step in (kind, *more):
        story.then(utc(2025, 2, 1), step, completed_on=DONE_ON)
    return story


CASES = [
    # mid-year (about 50 % of the year gone): 42 % reached is within 10 points, 38 % is not
    Case("within the tolerance", reported(4.2), utc(2025, 7, 2, 12), Pace.ON_TRACK),
    Case("beyond the tolerance", reported(3.8), utc(2025, 7, 2, 12), Pace.AT_RISK),
    Case("nothing reported, early January", reported(None), utc(2025, 1, 20), Pace.ON_TRACK),
    Case("nothing reported, mid-February", reported(None), utc(2025, 2, 15), Pace.AT_RISK),
    # the line starts on 1 January, not at the deadline's own start (1 July for Quý III)
    Case("Quý III, half done on 1 July", reported(5, deadline="Quý III/2025"), utc(2025, 7, 1), Pace.AT_RISK),
    Case("Quý III, 60% on 1 July", reported(6, deadline="Quý III/2025"), utc(2025, 7, 1), Pace.ON_TRACK),
    Case("percentage behind", reported(30, "100% TTHC", "6/2025"), utc(2025, 4, 1), Pace.AT_RISK),
    Case("percentage on pace", reported(45, "100% TTHC", "6/2025"), utc(2025, 4, 1), Pace.ON_TRACK),
    Case("range met at its minimum", reported(1, "01 - 02 lớp", "6/2025"), utc(2025, 6, 1), Pace.ON_TRACK),
    Case("met stays on track even overdue", reported(10, deadline="3/2025"), utc(2025, 4, 2), Pace.ON_TRACK),
    Case("overdue and unmet", reported(9.9, deadline="3/2025"), utc(2025, 4, 2), Pace.AT_RISK),
    Case("qualitative before its deadline", Story("qualitative", "Quý III/2025"), utc(2025, 6, 1),
         Pace.NOT_APPLICABLE),
    Case("qualitative overdue", Story("qualitative", "3/2025"), utc(2025, 4, 2), Pace.AT_RISK),
    Case("milestone not done yet", reported(0, "milestone", "6/2025"), utc(2025, 5, 1), Pace.NOT_APPLICABLE),
    Case("milestone done, overdue", reported(1, "milestone", "3/2025"), utc(2025, 4, 2), Pace.ON_TRACK),
    Case("awaiting confirmation", closed(c.RequestCompletion), utc(2025, 7, 2), Pace.DONE),
    Case("completed", closed(c.RequestCompletion, c.ConfirmCompletion), utc(2025, 7, 2), Pace.DONE),
    Case("suspended", closed(c.SuspendTask), utc(2025, 7, 2), Pace.NOT_APPLICABLE),
    Case("cancelled", closed(c.CancelTask), utc(2025, 7, 2), Pace.NOT_APPLICABLE),
]
IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_dashboard_forecast(case: Case) -> None:
    assert forecast(case.story.reporting(), case.now).pace is case.pace


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_audit_counts_at_risk_as_the_dashboard(case: Case) -> None:
    assert judged(case.story.commitments(), case.now).at_risk is (case.pace is Pace.AT_RISK)


# The behind-pace alert speaks of numbered, active tasks before their deadline (after it, the overdue alert).
ALERTED = [case for case in CASES if case.story.target not in ("qualitative", "milestone")
           and case.story.notifications().lifecycle == "active" and case.now < case.story.reporting().due_at]


@pytest.mark.parametrize("case", ALERTED, ids=[case.name for case in ALERTED])
def test_the_behind_pace_alert(case: Case) -> None:
    firing = behind_pace(case.story.notifications(), case.now, RuleConfig())
    assert (firing is not None) is (case.pace is Pace.AT_RISK)
