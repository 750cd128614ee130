"""Notifications and the workspace's new events: a revision proposal or its decline alerts nobody
(the Board sees them in its inbox) and changes no fact an alert rule reads, but moves the version."""

from __future__ import annotations

import uuid
from datetime import date

from tests.unit.notifications.builders import applied, fired
from tests.unit.reporting.builders import TaskScript, at, at_least


def test_proposals_are_followed_silently() -> None:
    task = TaskScript("QL-KH-09", "ql-kh", target=at_least(10))
    proposal = uuid.uuid4()
    facts = applied(None, task.registered(at(date(2025, 1, 10))))
    assert facts is not None
    for event in (task.proposed(at(date(2025, 4, 1)), proposal, target=at_least(8)),
                  task.declined(at(date(2025, 4, 2)), proposal)):
        after = applied(facts, event)
        assert after is not None and after.version == event.task_version
        assert after.target_minimum == facts.target_minimum == 10 and after.revisions == 0
        assert after.lifecycle == facts.lifecycle == "active"
        assert fired(event) == []
        facts = after
