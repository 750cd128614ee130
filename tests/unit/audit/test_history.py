"""A task's history for the Inspectorate: who, when, why, whose approval, and a field-by-field diff."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from commitments.application.service import CommitmentsApp
from commitments.application.views import TaskViews
from commitments.audit.adapters.reader import TaskReader
from commitments.audit.application.history import task_history
from commitments.audit.application.ports import PublicEvents
from commitments.audit.domain.diff import diff
from commitments.audit.domain.errors import ForgedRecord
from tests.unit.audit.conftest import BOARD, OFFICE, STAFF, MovableClock, Run, later
from tests.unit.commitments.builders import register, report, revise


def test_each_change_carries_its_actor_times_reason_approval_and_diff(
        reader: TaskReader, clock: MovableClock, run: Run, views: TaskViews,
        public_events: PublicEvents) -> None:
    task_id = uuid4()
    later(clock, run, (2025, 3, 1, 2), register(task_id), OFFICE)
    later(clock, run, (2025, 4, 2, 3), report(task_id, 4, as_of=date(2025, 3, 31), period="2025-Q1"), STAFF)
    later(clock, run, (2025, 8, 5, 3), revise(task_id, target="ít nhất 8 doanh nghiệp", reason="Giảm theo thực tế",
                                              effective_on=date(2025, 7, 1)), BOARD)
    history = task_history(reader, views, public_events, task_id)
    registered, reported, revised = history["entries"]
    assert registered["kind"] == "TaskRegistered" and registered["actor"]["role"] == "office"
    assert {c["field"] for c in registered["changes"]} >= {"title", "target.minimum", "deadline.text"}
    assert reported["effective_at"] == "2025-03-31T16:59:59Z"  # end of 31/03 in Vietnam
    assert {c["field"]: (c["before"], c["after"]) for c in reported["changes"]}["achieved_value"] == (None, 4)
    assert revised["actor"] == {"user_id": "board.bgd", "name": "Cán bộ board bgd", "unit": "bgd", "role": "board",
                                "issuer": "", "subject": ""}  # a principal made in the test: no provider
    assert revised["reason"] == "Giảm theo thực tế"
    assert revised["approval"]["document"] == "Số: 45/QĐ-SKHCN"
    assert revised["recorded_at"] == "2025-08-05T03:00:00Z"
    assert revised["event"]["target_lowered"] is True
    changes = {c["field"]: (c["before"], c["after"]) for c in revised["changes"]}
    assert changes["target.minimum"] == (10, 8)
    assert changes["target.text"] == ("ít nhất 10 doanh nghiệp", "ít nhất 8 doanh nghiệp")
    assert "version" not in changes and "updated_at" not in changes


def test_pages_of_a_long_history_start_from_a_snapshot(reader: TaskReader, clock: MovableClock, run: Run,
                                                       views: TaskViews, public_events: PublicEvents) -> None:
    task_id = uuid4()
    later(clock, run, (2025, 3, 1, 2), register(task_id), OFFICE)
    for value in range(1, 130):
        clock.advance(minutes=5)
        run(report(task_id, value, as_of=date(2025, 3, 1), period="2025-03"), STAFF)
    page = task_history(reader, views, public_events, task_id, after=110, limit=10)
    assert (page["first_version"], page["last_version"], page["next_after"], page["count"]) == (111, 120, 120, 10)
    first = page["entries"][0]
    assert {c["field"]: (c["before"], c["after"]) for c in first["changes"]}["achieved_value"] == (109, 110)


def test_diff_names_nested_fields_and_ignores_what_always_changes() -> None:
    before = {"target": {"minimum": 10, "text": "a"}, "version": 1, "unit": "vp"}
    after = {"target": {"minimum": 12, "text": "a"}, "version": 2, "unit": "vp", "note": "x"}
    assert diff(before, after) == [{"field": "target.minimum", "before": 10, "after": 12},
                                   {"field": "note", "before": None, "after": "x"}]


def test_a_row_without_a_valid_signature_is_refused_not_shown(
        app: CommitmentsApp, reader: TaskReader, clock: MovableClock, run: Run, views: TaskViews,
        public_events: PublicEvents) -> None:
    task_id = uuid4()
    later(clock, run, (2025, 3, 1, 2), register(task_id), OFFICE)
    genuine = app.recorder.select_events(task_id)[0]
    app.recorder.insert_events([StoredEvent(originator_id=task_id, originator_version=2, topic=genuine.topic,
                                            state=genuine.state.replace(b"QL-CNDMST", b"QL-GIAMAO"))])
    with pytest.raises(ForgedRecord) as refused:
        task_history(reader, views, public_events, task_id)
    assert refused.value.version == 2
