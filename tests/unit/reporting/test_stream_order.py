"""Per-task order of the shared stream consumer: apply in version order, hold what comes early,
drop what was applied already."""

from __future__ import annotations

from datetime import date

from shared.stream_consumer.decode import Rejected, decode
from shared.stream_consumer.memory import Memory
from shared.stream_consumer.order import ENTRY_TYPES, Delivery, held_versions, order_batch
from tests.unit.reporting.builders import TaskScript, at, message


def deliveries(*events: object, start: int = 1) -> list[Delivery]:
    out = []
    for seq, event in enumerate(events, start):
        subject, headers, data = message(event)  # type: ignore[arg-type]
        decoded = decode(seq, subject, headers, data)
        assert isinstance(decoded, Delivery)
        out.append(decoded)
    return out


def story(n_reports: int = 3) -> tuple[TaskScript, list[object]]:
    task = TaskScript()
    events: list[object] = [task.registered()]
    events += [task.progress(float(i), date(2025, 2, i)) for i in range(1, n_reports + 1)]
    return task, events


def test_in_order_events_are_all_ready_and_the_version_is_the_last() -> None:
    task, events = story()
    out = order_batch(deliveries(*events), applied={}, held={})
    assert [d.version for d in out.ready] == [1, 2, 3, 4]
    assert out.versions == {task.task_id: 4}
    assert not out.held and not out.gaps and out.duplicates == 0


def test_what_was_applied_before_is_a_duplicate() -> None:
    task, events = story()
    out = order_batch(deliveries(*events), applied={task.task_id: 2}, held={})
    assert [d.version for d in out.ready] == [3, 4]
    assert out.duplicates == 2


def test_an_early_version_is_held_until_the_missing_one_arrives() -> None:
    task, events = story()
    v1, v2, v3, v4 = deliveries(*events)
    first = order_batch([v1, v3, v4], applied={}, held={})
    assert [d.version for d in first.ready] == [1]
    assert [d.version for d in first.held] == [3, 4]
    assert [(g.expected, g.received) for g in first.gaps] == [(2, 3), (2, 4)]
    assert first.versions == {task.task_id: 1}

    second = order_batch([v2], applied=first.versions, held=held_versions(first.held))
    assert [d.version for d in second.ready] == [2, 3, 4]
    assert [d.version for d in second.released] == [3, 4]
    assert second.versions == {task.task_id: 4} and not second.held


def test_a_gap_closed_within_the_same_batch_leaves_nothing_held() -> None:
    _, events = story()
    v1, v2, v3, v4 = deliveries(*events)
    out = order_batch([v1, v3, v2, v4], applied={}, held={})
    assert [d.version for d in out.ready] == [1, 2, 3, 4]
    assert not out.held and not out.released and len(out.gaps) == 1


def test_a_held_event_sent_again_is_a_duplicate() -> None:
    _, events = story()
    v1, _, v3, _ = deliveries(*events)
    first = order_batch([v1, v3], applied={}, held={})
    again = order_batch([v3], applied=first.versions, held=held_versions(first.held))
    assert again.duplicates == 1 and not again.held and not again.ready


def test_other_tasks_flow_while_one_waits() -> None:
    _, events_a = story()
    b = TaskScript(ref="VP-01", unit="vp")
    a1, _, a3, _ = deliveries(*events_a)
    b1, b2 = deliveries(b.registered(), b.progress(1, date(2025, 3, 1)), start=10)
    out = order_batch([a1, a3, b1, b2], applied={}, held={})
    assert [(d.event.task_ref, d.version) for d in out.ready] == [("QL-CNDMST-01", 1), ("VP-01", 1), ("VP-01", 2)]
    assert [d.version for d in out.held] == [3]


def test_a_reassignment_snapshot_opens_a_task_never_seen() -> None:
    task, events = story(1)
    moved = task.reassigned("vp", at(date(2025, 4, 1)))
    (d,) = deliveries(moved, start=5)
    out = order_batch([d], applied={}, held={})
    assert [x.version for x in out.ready] == [3]
    assert out.versions == {task.task_id: 3}
    late = deliveries(*events)
    assert order_batch(late, applied=out.versions, held={}).duplicates == 2


def test_a_message_that_is_no_task_event_is_rejected_naming_why() -> None:
    subject, headers, data = message(TaskScript().registered())
    del headers["ce-type"]
    rejected = decode(7, subject, headers, data)
    assert isinstance(rejected, Rejected) and "ce-type" in rejected.reason
    assert isinstance(decode(8, subject, message(TaskScript().registered())[1], b"{}"), Rejected)


def test_memory_plans_only_the_plain_case_and_advances_as_if_committed() -> None:
    task, events = story()
    v1, v2, v3, v4 = deliveries(*events)
    memory = Memory(position=0, versions={})
    plain = memory.speculate([v1, v2], ENTRY_TYPES)
    assert plain is not None and [d.version for d in plain.ready] == [1, 2]
    memory.advance(plain, [], [], reached=2)
    assert (memory.position, memory.versions) == (2, {task.task_id: 2})
    assert memory.speculate([v2, v3], ENTRY_TYPES) is None  # a redelivery: at or below the position
    assert memory.speculate([v4], ENTRY_TYPES) is None  # a gap: the database decides what to hold
    subject, headers, _ = message(TaskScript().registered())
    rejected = decode(9, subject, headers, b"{}")
    assert memory.speculate([rejected], ENTRY_TYPES) is None
    memory.held[task.task_id] = 1
    assert memory.speculate([v3], ENTRY_TYPES) is None  # the task has held events
    memory.advance(plain, [], [v4], reached=2)  # the held event went
    assert memory.speculate([v3], ENTRY_TYPES) is not None
