"""The golden cases of the counts and rates (shared.rules.rates), and every service's code path that
applies them: the dashboard's counts and the audit's program figures on a past day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from commitments.application import commands as c
from commitments.audit.application.timetravel import judged
from commitments.audit.domain.timetravel import figures
from reporting.domain.summary import assess, count
from tests.unit.rules.stories import Story, on, utc

NOW = utc(2025, 7, 15)


def done(day: tuple[int, int, int], deadline: str = "6/2025") -> Story:
    when = utc(*day)
    return (Story(deadline=deadline).then(when, c.RequestCompletion, completed_on=when.date())
            .then(when, c.ConfirmCompletion))


def awaiting() -> Story:
    return Story(deadline="6/2025").then(utc(2025, 6, 20), c.RequestCompletion, completed_on=on(2025, 6, 20))


def closed(kind: type[c.Command], value: float | None = None) -> Story:
    story = Story(deadline="6/2025")
    if value is not None:
        story.report(utc(2025, 2, 1), value)
    return story.then(utc(2025, 3, 1), kind)


@dataclass(frozen=True)
class Case:
    name: str
    stories: list[Story]
    # total, counted, completed, on time, late, completion rate, on-time rate, exceeding
    expected: tuple[int, int, int, int, int, float | None, float | None, int]


CASES = [
    Case("cancelled and suspended tasks are left out of the denominator",
         [done((2025, 6, 20)), done((2025, 7, 2)), closed(c.CancelTask), closed(c.SuspendTask), Story("qualitative")],
         (5, 3, 2, 1, 1, 200 / 3, 100 / 3, 0)),
    Case("nothing counted gives no rate", [closed(c.CancelTask), closed(c.SuspendTask)],
         (2, 0, 0, 0, 0, None, None, 0)),
    Case("a completion awaiting confirmation is not yet a completion", [awaiting(), done((2025, 6, 1))],
         (2, 2, 1, 1, 0, 50.0, 50.0, 0)),
    Case("exceeding counts the counted tasks above the ceiling",
         [Story().report(utc(2025, 5, 1), 12), closed(c.CancelTask, 12), Story().report(utc(2025, 5, 1), 10)],
         (3, 2, 0, 0, 0, 0.0, 0.0, 1)),
]
IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_dashboard_counts(case: Case, now: datetime = NOW) -> None:
    got = count(assess(s.reporting(), now) for s in case.stories)
    assert (got.total, got.counted, got.completed, got.completed_on_time, got.completed_late, got.completion_rate,
            got.on_time_rate, got.exceeding_target) == pytest.approx(case.expected)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_audit_program_figures(case: Case, now: datetime = NOW) -> None:
    got = figures([judged(s.commitments(), now) for s in case.stories])
    names = ("total", "counted", "completed", "completed_on_time", "completed_late", "completion_rate", "on_time_rate",
             "exceeding_target")
    assert tuple(got[k] for k in names) == pytest.approx(case.expected)
