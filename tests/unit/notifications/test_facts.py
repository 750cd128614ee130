"""The projection of the public task events into this service's facts."""

from __future__ import annotations

from datetime import date

from tests.unit.notifications.builders import DUE, REGISTERED, Story, applied, days


def test_a_story_of_events_becomes_the_task_facts() -> None:
    story = Story()
    f = applied(None, story.registered())
    assert f is not None and (f.lifecycle, f.due_at, f.target_minimum, f.version) == ("active", DUE, 10.0, 1)
    f = applied(f, story.reported(4, REGISTERED + days(30)))
    assert f is not None and (f.achieved_value, f.last_report_at) == (4, REGISTERED + days(30))
    f = applied(f, story.reported(None, REGISTERED + days(40)))  # a note without a number keeps the value
    assert f is not None and f.achieved_value == 4 and f.last_report_at == REGISTERED + days(40)
    f = applied(f, story.revised(REGISTERED + days(50), new_minimum=8, new_due=DUE + days(92)))
    assert f is not None and (f.target_minimum, f.due_at, f.target_lowered, f.deadline_extended) == (
        8, DUE + days(92), True, True)
    f = applied(f, story.completion_requested(REGISTERED + days(60), date(2025, 3, 5)))
    assert f is not None and f.lifecycle == "awaiting_confirmation"
    assert f.completion_requested_at == REGISTERED + days(60)
    f = applied(f, story.rejected(REGISTERED + days(61)))
    assert f is not None and (f.lifecycle, f.completion_requested_at) == ("active", None)
    f = applied(f, story.reassigned(REGISTERED + days(62), "tt-cgcn"))
    assert f is not None and f.unit == "tt-cgcn" and f.version == 7


def test_a_redelivered_event_changes_nothing() -> None:
    story = Story()
    registered = story.registered()
    f = applied(None, registered)
    report = story.reported(3, REGISTERED + days(5))
    once = applied(f, report)
    assert applied(once, report) is once
    assert applied(once, registered) is once


def test_events_of_a_task_never_registered_here_are_ignored_except_a_reassignment() -> None:
    story = Story()
    story.registered()
    assert applied(None, story.reported(1, REGISTERED + days(1))) is None
    opened = applied(None, story.reassigned(REGISTERED + days(2), "ql-kh"))
    assert opened is not None and opened.unit == "ql-kh" and opened.version == 3


def test_lifecycle_follows_suspension_resumption_cancellation_and_confirmation() -> None:
    story = Story()
    f = applied(None, story.registered())
    f = applied(f, story.suspended(REGISTERED + days(1)))
    assert f is not None and f.lifecycle == "suspended"
    f = applied(f, story.resumed(REGISTERED + days(2)))
    assert f is not None and (f.lifecycle, f.resumed_at) == ("active", REGISTERED + days(2))
    f = applied(f, story.completion_requested(REGISTERED + days(3), date(2025, 1, 9)))
    f = applied(f, story.confirmed(REGISTERED + days(4), date(2025, 1, 9)))
    assert f is not None and (f.lifecycle, f.completed_at) == ("completed", REGISTERED + days(4))
    other = Story(ref="QLCN-03")
    g = applied(applied(None, other.registered()), other.cancelled(REGISTERED + days(9)))
    assert g is not None and (g.lifecycle, g.cancelled_at) == ("cancelled", REGISTERED + days(9))
