"""The application's read store (`reporting.application.read_store.ReadStore`) in memory: the public
events translated and folded with the reporting domain, each task's state kept after every event.

What the PostgreSQL read models store, kept as Python values: the queries cannot tell the difference
(the integration tests run the same queries against PostgreSQL).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from reporting.application.read_store import HistoryRow, RevisionRow
from reporting.domain import events as e
from reporting.domain import targets
from reporting.domain.task_state import TaskState, evolve
from reporting.integration.contract_v1 import translate
from reporting.integration.projections.details import details, note_of, reference_day
from reporting.integration.projections.evaluation import COLUMNS as EVALUATION_COLUMNS
from reporting.integration.projections.period_activity import COUNTERS, counters_of, keys
from reporting.persistence.codec import deadline_json, target_json, to_json_text
from shared.contracts.v1 import TaskEventV1
from shared.rules.evaluation import UnitTotals


class InMemoryReadStore:
    def __init__(self, events: Iterable[TaskEventV1]) -> None:
        self._after: dict[UUID, list[tuple[e.TaskEvent, TaskState]]] = defaultdict(list)
        self._activity: dict[tuple[str, int, str, str], list[int]] = {}  # org, year, period code, unit
        for contract in events:
            event = translate(contract)
            steps = self._after[event.task_id]
            state = evolve(steps[-1][1] if steps else None, event)
            steps.append((event, state))
            for org, year, unit, code, _ in keys(event.org, event.program_year, state.unit, reference_day(event)):
                row = self._activity.setdefault((org, year, code, unit), [0] * len(COUNTERS))
                for index, n in counters_of(event):
                    row[index] += n

    async def tasks(self, org: str, *, year: int | None = None, unit: str | None = None) -> list[TaskState]:
        now = [steps[-1][1] for steps in self._after.values()]
        return _ordered(s for s in now if s.org == org and year in (None, s.program_year) and unit in (None, s.unit))

    async def task(self, org: str, task_id: UUID) -> TaskState | None:
        steps = self._after.get(task_id)
        return steps[-1][1] if steps and steps[-1][1].org == org else None

    async def tasks_as_of(self, org: str, at: datetime, *, year: int | None = None) -> list[TaskState]:
        then = []
        for steps in self._after.values():
            known = [s for ev, s in steps if ev.recorded_at <= at]
            if known and known[-1].org == org and year in (None, known[-1].program_year):
                now = steps[-1][1]  # the fixed facts are today's, as in the read models
                then.append(replace(known[-1], ref=now.ref, title=now.title, description=now.description,
                                    cooperating_units=now.cooperating_units))
        return _ordered(then)

    async def history(self, task_id: UUID) -> list[HistoryRow]:
        return [_history(ev, s) for ev, s in self._after.get(task_id, [])]

    async def changes(self, org: str, start: datetime, end: datetime) -> list[HistoryRow]:
        rows = [_history(ev, s) for steps in self._after.values() for ev, s in steps
                if ev.org == org and start <= ev.recorded_at <= end]
        return sorted(rows, key=lambda r: (-r.recorded_at.timestamp(), r.task_id, -r.version))

    async def revisions(self, org: str, *, task_id: UUID | None = None, year: int | None = None,
                        recorded: tuple[datetime, datetime] | None = None,
                        effective: tuple[date, date] | None = None) -> list[RevisionRow]:
        rows = [_revision(ev, s) for steps in self._after.values() for ev, s in steps
                if isinstance(ev, e.TargetRevised) and ev.org == org and task_id in (None, ev.task_id)
                and year in (None, ev.program_year)
                and (recorded is None or recorded[0] <= ev.recorded_at <= recorded[1])
                and (effective is None or effective[0] <= ev.effective_on <= effective[1])]
        return sorted(rows, key=lambda r: (r.recorded_at, r.ref, r.version))

    async def activity(self, org: str, year: int, period: str) -> dict[str, dict[str, int]]:
        return {unit: dict(zip(COUNTERS, counts, strict=True))
                for (o, y, code, unit), counts in sorted(self._activity.items()) if (o, y, code) == (org, year, period)}

    async def evaluation(self, org: str, year: int) -> list[UnitTotals]:
        by_unit: dict[str, list[TaskState]] = defaultdict(list)
        for s in await self.tasks(org, year=year):
            by_unit[s.unit].append(s)
        return [UnitTotals(org=org, program_year=year, unit=unit, **_totals(states))
                for unit, states in sorted(by_unit.items())]

    async def years(self, org: str) -> list[int]:
        return sorted({s.program_year for s in await self.tasks(org)})


def _ordered(states: Iterable[TaskState]) -> list[TaskState]:
    return sorted(states, key=lambda s: (s.program_year, s.ref))


def _history(ev: e.TaskEvent, after: TaskState) -> HistoryRow:
    return HistoryRow(task_id=ev.task_id, version=ev.version, event_type=ev.type, unit=after.unit,
                      recorded_at=ev.recorded_at, effective_at=ev.effective_at, as_of=reference_day(ev),
                      actor_name=ev.actor.name, actor_role=ev.actor.role, note=note_of(ev),
                      achieved_value=after.achieved_value, percent_of_target=after.percent_of_target,
                      details=details(ev))


def _stored(value: dict[str, Any]) -> dict[str, Any]:
    """A target or deadline as the read models' JSON gives it back (instants as text)."""
    loaded: dict[str, Any] = json.loads(to_json_text([value]))[0]
    return loaded


def _revision(ev: e.TargetRevised, after: TaskState) -> RevisionRow:
    return RevisionRow(task_id=ev.task_id, version=ev.version, program_year=ev.program_year, unit=after.unit,
                       ref=ev.task_ref, recorded_at=ev.recorded_at, effective_on=ev.effective_on,
                       old_target=_stored(target_json(ev.old_target)), new_target=_stored(target_json(ev.new_target)),
                       old_deadline=_stored(deadline_json(ev.old_deadline)),
                       new_deadline=_stored(deadline_json(ev.new_deadline)), target_lowered=ev.target_lowered,
                       deadline_extended=ev.deadline_extended, reason=ev.reason,
                       approved_by=ev.approval.approved_by, document=ev.approval.document,
                       signed_on=ev.approval.signed_on, actor_name=ev.actor.name)


def _totals(states: list[TaskState]) -> dict[str, int]:
    """The counts of the unit_evaluation read model (its SQL, in Python)."""
    counted = [s for s in states if s.lifecycle not in ("cancelled", "suspended")]
    done = [s for s in states if s.lifecycle == "completed"]
    quantitative = [s for s in counted if targets.is_numeric(s.target)]
    totals = {"assigned": len(counted), "cancelled": sum(s.lifecycle == "cancelled" for s in states),
              "suspended": sum(s.lifecycle == "suspended" for s in states), "completed": len(done),
              "completed_on_time": sum(bool(s.on_time) for s in done),
              "completed_late": sum(s.on_time is False for s in done), "quantitative": len(quantitative),
              "exceeding_target": sum(s.lifecycle == "completed" and s.exceeds_target for s in quantitative)}
    assert tuple(totals) == EVALUATION_COLUMNS
    return totals
