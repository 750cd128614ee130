"""The golden cases of a task's status and its inputs (shared.status: started, awaiting confirmation,
on time), and every service's code path that computes it: the API's and the audit's (commitments),
the dashboard's (reporting) and the briefing's (notifications)."""

from __future__ import annotations

from datetime import datetime

import pytest

from commitments.application import commands as c
from commitments.application.views import status_of, task_status
from commitments.bootstrap import task_views
from notifications.domain import digest
from reporting.domain.summary import assess
from shared.status import TaskStatus
from tests.unit.rules.stories import Story, on, utc


def requested(day: tuple[int, int, int], *, confirmed: bool = False, rejected: bool = False) -> Story:
    story = Story(deadline="6/2025").then(utc(2025, 7, 3), c.RequestCompletion, completed_on=on(*day))
    if confirmed:
        story.then(utc(2025, 7, 4), c.ConfirmCompletion)
    if rejected:
        story.then(utc(2025, 7, 4), c.RejectCompletion)
    return story


CASES = [
    ("registered, never reported", Story(deadline="6/2025"), utc(2025, 3, 1), TaskStatus.NOT_STARTED),
    ("a report with a value starts it", Story(deadline="6/2025").report(utc(2025, 2, 1), 2), utc(2025, 3, 1),
     TaskStatus.IN_PROGRESS_ON_TIME),
    ("a note alone starts a qualitative task", Story("qualitative", "6/2025").report(utc(2025, 2, 1), None),
     utc(2025, 3, 1), TaskStatus.IN_PROGRESS_ON_TIME),
    ("three days before the deadline", Story(deadline="6/2025"), utc(2025, 6, 28), TaskStatus.DUE_SOON),
    ("a second after the deadline", Story(deadline="6/2025"), datetime.fromisoformat("2025-06-30T17:00:00+00:00"),
     TaskStatus.IN_PROGRESS_OVERDUE),
    ("no written deadline: not due in December", Story(deadline=""), utc(2025, 12, 1), TaskStatus.NOT_STARTED),
    ("no written deadline: due at the year's end", Story(deadline=""), utc(2025, 12, 29), TaskStatus.DUE_SOON),
    ("awaiting confirmation", requested((2025, 6, 30)), utc(2025, 7, 10), TaskStatus.AWAITING_CONFIRMATION),
    ("done on the day it fell due, confirmed later", requested((2025, 6, 30), confirmed=True), utc(2025, 7, 10),
     TaskStatus.COMPLETED_ON_TIME),
    ("done the day after", requested((2025, 7, 1), confirmed=True), utc(2025, 7, 10), TaskStatus.COMPLETED_LATE),
    ("rejected: back to work, overdue", requested((2025, 6, 30), rejected=True), utc(2025, 7, 10),
     TaskStatus.IN_PROGRESS_OVERDUE),
    ("suspended", Story().then(utc(2025, 3, 1), c.SuspendTask), utc(2025, 4, 1), TaskStatus.SUSPENDED),
    ("cancelled", Story().then(utc(2025, 3, 1), c.CancelTask), utc(2025, 4, 1), TaskStatus.CANCELLED),
]
IDS = [name for name, *_ in CASES]


@pytest.mark.parametrize(("name", "story", "now", "status"), CASES, ids=IDS)
def test_the_commitments_api_and_the_audit(name: str, story: Story, now: datetime, status: TaskStatus) -> None:
    task = story.commitments()
    assert status_of(task_views().summary(task), now) is status  # the API's lists, from the stored summary
    assert task_status(task, now) is status  # a task's own view and the audit's, from the task


@pytest.mark.parametrize(("name", "story", "now", "status"), CASES, ids=IDS)
def test_the_dashboard(name: str, story: Story, now: datetime, status: TaskStatus) -> None:
    assert assess(story.reporting(), now).status is status


@pytest.mark.parametrize(("name", "story", "now", "status"), CASES, ids=IDS)
def test_the_briefing(name: str, story: Story, now: datetime, status: TaskStatus) -> None:
    assert digest.status_of(story.notifications(), now) is status
