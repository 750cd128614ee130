"""The query functions of the reporting service: the JSON API and the dashboard pages call these.

Every function takes the read store (`ReadStore`, read_store.py), the organisation code and `now`
(the status of a task depends on the calendar, so it is computed here, never stored). `as_of` asks
for the view of a past instant: the facts recorded by then, with the status they had then.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from uuid import UUID

from reporting.application.present import (
    assessed,
    counts_view,
    history_entry,
    org_name,
    revision_view,
    task_view,
    unit_name,
    unit_order,
)
from reporting.application.read_store import ReadStore
from reporting.application.views import ChartPoint, ProgramSummary, RevisionView, TaskDetail, TaskView, UnitSummary
from reporting.domain.pace import RULE as PACE_RULE
from reporting.domain.pace import Pace
from reporting.domain.summary import count
from reporting.domain.task_state import TaskState
from shared.periods import ReportingPeriod
from shared.status import TaskStatus
from shared.vn import fold


class NotFound(LookupError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class InvalidQuery(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


async def states_at(db: ReadStore, org: str, *, now: datetime, as_of: datetime | None = None,
                    year: int | None = None) -> tuple[list[TaskState], datetime]:
    """The tasks as they stood at `as_of` (now by default), and the instant used."""
    if as_of is not None and as_of > now:
        raise InvalidQuery("as_of cannot be in the future", "as_of")
    if as_of is None or as_of == now:
        return await db.tasks(org, year=year), now
    return await db.tasks_as_of(org, as_of, year=year), as_of


async def task_list(db: ReadStore, org: str, *, now: datetime, year: int | None = None, unit: str | None = None,
                    status: TaskStatus | None = None, pace: Pace | None = None, search: str | None = None,
                    as_of: datetime | None = None) -> list[TaskView]:
    """Tasks with their status at `as_of` (now), filtered; in program year and reference order."""
    states, at = await states_at(db, org, now=now, as_of=as_of, year=year)
    needle = fold(search.strip()) if search and search.strip() else None
    views = []
    for state in states:
        if unit and state.unit != unit:
            continue
        if needle and needle not in fold(f"{state.ref} {state.title}"):
            continue
        view = task_view(state, at)
        if (status and view.status.code != status.value) or (pace and view.pace.code != pace.value):
            continue
        views.append(view)
    return views


async def task_detail(db: ReadStore, org: str, task_id: UUID, *, now: datetime) -> TaskDetail:
    """One task now, its whole history, its progress chart and its revisions."""
    state = await db.task(org, task_id)
    if state is None:
        raise NotFound(f"no task {task_id} in {org}", "task_id")
    history = await db.history(task_id)
    chart = [ChartPoint(as_of=h.as_of, achieved_value=h.achieved_value, percent_of_target=h.percent_of_target,
                        recorded_at=h.recorded_at) for h in history if h.event_type == "ProgressReported"]
    revisions = [revision_view(org, r) for r in await db.revisions(org, task_id=task_id)]
    return TaskDetail(task=task_view(state, now), description=state.description,
                      cooperating_units=list(state.cooperating_units), history=[history_entry(h) for h in history],
                      chart=chart, revisions=revisions)


async def program_summary(db: ReadStore, org: str, *, now: datetime, year: int | None = None,
                          as_of: datetime | None = None) -> ProgramSummary:
    """Counts by status, completion rates and tasks exceeding target: the whole program and each unit."""
    states, at = await states_at(db, org, now=now, as_of=as_of, year=year)
    tasks = assessed(states, at)
    by_unit = defaultdict(list)
    for t in tasks:
        by_unit[t.state.unit].append(t)
    units = [UnitSummary(unit=u, unit_name=unit_name(org, u), counts=counts_view(count(ts)))
             for u, ts in sorted(by_unit.items(), key=lambda item: unit_order(org, item[0]))]
    return ProgramSummary(org=org, org_name=org_name(org), program_year=year, as_of=at,
                          total=counts_view(count(tasks)), units=units, pace_rule=PACE_RULE)


async def unit_summary(db: ReadStore, org: str, unit: str, *, now: datetime, year: int | None = None,
                       as_of: datetime | None = None) -> UnitSummary:
    states, at = await states_at(db, org, now=now, as_of=as_of, year=year)
    tasks = assessed([s for s in states if s.unit == unit], at)
    if not tasks:
        raise NotFound(f"unit {unit!r} has no tasks" + (f" in {year}" if year else ""), "unit")
    return UnitSummary(unit=unit, unit_name=unit_name(org, unit), counts=counts_view(count(tasks)))


async def revision_list(db: ReadStore, org: str, *, year: int | None = None,
                        period: ReportingPeriod | None = None) -> list[RevisionView]:
    """Target and deadline revisions, by the day they take effect (within `period` if given)."""
    effective = (period.first_day, period.last_day) if period else None
    return [revision_view(org, r) for r in await db.revisions(org, year=year, effective=effective)]


async def program_years(db: ReadStore, org: str) -> list[int]:
    return await db.years(org)
