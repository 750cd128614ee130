"""Figures provable offline: the year-end evaluation recomputed from a complete (program or year) bundle.

Each event's content is decoded with the service's own transcodings (no database, no key), folded into its
task by the domain, and the tasks of the year are counted and ranked by the published rule
(`shared.rules.evaluation`) — the same rule the dashboard's figures come from. Events the sealer logged
without a valid service signature are left out (and reported by the bundle's verifier).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, Mapper, StoredEvent, UUIDAsHex

from commitments.audit.domain.tlog.bundle_verify import BundleEvent
from commitments.domain.lifecycle import Lifecycle
from commitments.domain.task import Task
from commitments.domain.transcodings import register_domain_transcodings
from shared.rules.evaluation import COUNTS, TaskFacts, UnitTotals, ranked, unit_totals
from shared.status import completed_on_time

TASK_TOPIC = "commitments.domain.task:Task."


def offline_mapper() -> Mapper[UUID]:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    register_domain_transcodings(transcoder)
    return Mapper(transcoder=transcoder)


def tasks_of(events: Iterable[BundleEvent]) -> dict[UUID, Task]:
    mapper, tasks = offline_mapper(), dict[UUID, Task]()
    for e in events:
        if not e.entry.signed or not e.entry.topic.startswith(TASK_TOPIC):
            continue
        event = cast("Task.Event", mapper.to_domain_event(StoredEvent(
            originator_id=e.entry.originator_id, originator_version=e.entry.originator_version,
            topic=e.entry.topic, state=e.body)))
        tasks[e.entry.originator_id] = cast("Task", event.mutate(tasks.get(e.entry.originator_id)))
    return tasks


def facts(task: Task) -> TaskFacts:
    completed = task.lifecycle is Lifecycle.COMPLETED and task.completed_on is not None
    due_at = task.deadline.effective_end(task.program_year)
    return TaskFacts(org=task.org, program_year=task.program_year, unit=task.unit, lifecycle=task.lifecycle.value,
                     on_time=completed_on_time(task.completed_on, due_at) if completed and task.completed_on
                     else None, quantitative=task.target.is_numeric,
                     exceeds_target=task.target.exceeds(task.achieved_value))


def evaluation(events: Iterable[BundleEvent], org: str, year: int) -> list[tuple[int, UnitTotals]]:
    chosen = [facts(t) for t in tasks_of(events).values() if t.org == org and t.program_year == year]
    return ranked(unit_totals(chosen))


def differences(recomputed: list[tuple[int, UnitTotals]], shown: Iterable[Mapping[str, Any]]) -> list[str]:
    """Where the dashboard's units (as its evaluation API returns them) differ from the recomputation."""
    mine = {u.unit: (rank, u) for rank, u in recomputed}
    theirs = {str(u["unit"]): u for u in shown}
    out = [f"{unit}: trên bảng điều khiển nhưng không có trong nhật ký / on the dashboard only"
           for unit in sorted(set(theirs) - set(mine))]
    out += [f"{unit}: có trong nhật ký nhưng không có trên bảng điều khiển / in the log only"
            for unit in sorted(set(mine) - set(theirs))]
    for unit in sorted(set(mine) & set(theirs)):
        rank, totals = mine[unit]
        pairs = [("rank", rank, theirs[unit].get("rank"))] + [
            (name, getattr(totals, name), theirs[unit].get(name)) for name in COUNTS]
        out += [f"{unit}.{name}: nhật ký / log {a} ≠ bảng điều khiển / dashboard {b}" for name, a, b in pairs if a != b]
    return out
