"""Point in time: a task revised three times, seen between each revision; "reported for Q2" against
"recorded by 30/06" when a unit reports late; the program's figures on a past day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from commitments.application.service import CommitmentsApp
from commitments.application.views import TaskViews
from commitments.audit.adapters.reader import STORED_TIMESTAMP, TaskReader
from commitments.audit.application.ports import PublicEvents
from commitments.audit.application.timetravel import program_as_of, reported_for, task_as_of
from commitments.domain.deadlines import parse_deadline
from commitments.domain.errors import TaskNotFound
from shared.periods import ReportingPeriod
from tests.unit.audit.conftest import BOARD, OFFICE, STAFF, MovableClock, Run, later
from tests.unit.commitments.builders import register, report, revise


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.fixture
def revised_three_times(clock: MovableClock, run: Run) -> UUID:
    task_id = uuid4()
    later(clock, run, (2025, 3, 1, 2), register(task_id), OFFICE)  # ít nhất 10, due 6/2025
    later(clock, run, (2025, 4, 10, 3), revise(task_id, target="ít nhất 12 doanh nghiệp"), BOARD)
    later(clock, run, (2025, 5, 10, 3), revise(task_id, target="ít nhất 8 doanh nghiệp"), BOARD)
    later(clock, run, (2025, 6, 20, 3), revise(task_id, deadline="Quý III/2025"), BOARD)
    return task_id


def minimum_at(reader: TaskReader, views: TaskViews, task_id: UUID, instant: datetime) -> float | None:
    view = task_as_of(reader, views, task_id, instant)["task"]
    return None if view is None else view["target"]["minimum"]


def test_between_each_revision_the_task_reads_as_it_was_then(reader: TaskReader, views: TaskViews,
                                                             revised_three_times: UUID) -> None:
    task = revised_three_times
    assert task_as_of(reader, views, task, at(2025, 2, 28))["registered"] is False
    assert minimum_at(reader, views, task, at(2025, 3, 1, 2)) == 10  # the very instant of registration counts
    assert minimum_at(reader, views, task, at(2025, 4, 10, 2, 59)) == 10
    assert minimum_at(reader, views, task, at(2025, 4, 10, 3)) == 12
    assert minimum_at(reader, views, task, at(2025, 5, 9)) == 12
    assert minimum_at(reader, views, task, at(2025, 6, 1)) == 8
    june = task_as_of(reader, views, task, at(2025, 6, 19))["task"]
    assert (june["version"], june["deadline"]["text"]) == (3, "6/2025")
    july = task_as_of(reader, views, task, at(2025, 7, 2))["task"]
    assert (july["version"], july["deadline"]["text"], july["target"]["minimum"]) == (4, "Quý III/2025", 8)
    assert july["status"] == "not_started"  # due at the end of Q3 now; as of 19/06 it was still due 30/06


def test_status_at_an_instant_is_the_status_then(reader: TaskReader, revised_three_times: UUID,
                                                 clock: MovableClock, run: Run, views: TaskViews) -> None:
    unrevised = uuid4()
    later(clock, run, (2025, 3, 3, 2), register(unrevised, ref="QL-CNDMST-04"), OFFICE)  # due 30/06
    clock.set(2025, 10, 5)  # asked long after: the answers are the statuses of then, not of now
    assert task_as_of(reader, views, unrevised, at(2025, 6, 10))["task"]["status"] == "not_started"
    assert task_as_of(reader, views, unrevised, at(2025, 6, 28))["task"]["status"] == "due_soon"
    assert task_as_of(reader, views, unrevised, at(2025, 7, 2))["task"]["status"] == "in_progress_overdue"
    assert task_as_of(reader, views, revised_three_times, at(2025, 7, 2))["task"]["status"] == "not_started"


def test_reported_for_q2_counts_the_late_report_that_recorded_by_30_06_does_not(
        reader: TaskReader, clock: MovableClock, run: Run, views: TaskViews, public_events: PublicEvents) -> None:
    task_id = uuid4()
    later(clock, run, (2025, 3, 1, 2), register(task_id), OFFICE)
    later(clock, run, (2025, 4, 2, 3), report(task_id, 3, as_of=date(2025, 3, 31), period="2025-Q1"), STAFF)
    # the Board extends the deadline on 25/06, taking effect from 01/07 (after the quarter)
    later(clock, run, (2025, 6, 25, 3), revise(task_id, deadline="Quý III/2025", effective_on=date(2025, 7, 1)),
          BOARD)
    # the unit reports Q2 (as of 30/06) only on 10/07
    later(clock, run, (2025, 7, 10, 3), report(task_id, 7, as_of=date(2025, 6, 30), period="2025-Q2"), STAFF)
    answer = reported_for(reader, views, public_events, task_id, ReportingPeriod.parse("2025-Q2"))
    recorded, reported = answer["recorded_by"], answer["reported_for"]
    assert (recorded["achieved_value"], reported["achieved_value"]) == (3, 7)
    assert (recorded["deadline"]["text"], reported["deadline"]["text"]) == ("Quý III/2025", "6/2025")
    assert [m["version"] for m in answer["late"]] == [4]
    assert [m["version"] for m in answer["not_yet_effective"]] == [3]
    changed = {d["field"]: (d["before"], d["after"]) for d in answer["differences"]}
    assert changed["achieved_value"] == (3, 7)
    assert changed["deadline.text"] == ("Quý III/2025", "6/2025")


def test_the_program_on_a_past_day(app: CommitmentsApp, reader: TaskReader, clock: MovableClock, run: Run) -> None:
    first, second = uuid4(), uuid4()
    later(clock, run, (2025, 3, 1, 2), register(first, ref="A-1"), OFFICE)
    later(clock, run, (2025, 3, 2, 2), register(second, ref="A-2", deadline=parse_deadline("4/2025")), OFFICE)
    later(clock, run, (2025, 6, 13, 3), report(first, 10, as_of=date(2025, 6, 12), period="2025-Q2"), STAFF)
    later(clock, run, (2025, 6, 15, 3), report(second, 10, as_of=date(2025, 6, 14), period="2025-Q2"), STAFF)
    summaries = [s.task_id for s in app.store.list_summaries("qt-skhcn")]
    day = program_as_of(reader, summaries, date(2025, 6, 14))
    assert (day["total"], day["date_label"]) == (2, "14/06/2025")
    statuses = {t["ref"]: t["status"] for t in day["tasks"]}
    assert statuses == {"A-1": "in_progress_on_time", "A-2": "in_progress_overdue"}
    before = program_as_of(reader, summaries, date(2025, 3, 1))
    assert before["total"] == 1 and before["tasks"][0]["status"] == "not_started"


def test_an_unknown_task_is_not_found(reader: TaskReader, views: TaskViews) -> None:
    with pytest.raises(TaskNotFound):
        task_as_of(reader, views, uuid4(), at(2025, 6, 1))


def test_a_long_history_is_searched_and_loaded_from_the_nearest_snapshot(
        app: CommitmentsApp, reader: TaskReader, clock: MovableClock, run: Run, views: TaskViews) -> None:
    task_id = uuid4()
    later(clock, run, (2025, 3, 1, 2), register(task_id), OFFICE)
    for value in range(1, 250):  # versions 2..250, one hour apart
        clock.advance(hours=1)
        run(report(task_id, value, as_of=date(2025, 3, 1), period="2025-03"), STAFF)
    assert reader.latest_version(task_id) == 250
    stored = app.recorder.select_events(task_id, gt=36, lte=37)[0]
    assert STORED_TIMESTAMP.match(stored.state)  # probes read the time without decoding the event
    assert reader.recorded_at(task_id, 37) == reader.event(task_id, 37).timestamp
    for hours, version in ((0, 1), (1, 2), (99, 100), (100, 101), (150, 151), (249, 250), (5000, 250)):
        instant = at(2025, 3, 1, 2) + (at(2025, 3, 1, 3) - at(2025, 3, 1, 2)) * hours
        assert reader.version_at(task_id, instant) == version
        view = task_as_of(reader, views, task_id, instant)["task"]
        assert (view["version"], view["achieved_value"]) == (version, version - 1 or None)
    assert reader.version_at(task_id, at(2025, 3, 1, 1)) == 0
