"""A task or the whole program as it stood: as recorded by an instant, or as reported for a period.

"Recorded at" asks what the system held at that moment (events recorded by then). "Reported for" asks
what the figures for a period turned out to be, counting a late report about that period and leaving
out a change that takes effect after it, whenever either was entered (effective time of each event).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from commitments.application.views import TaskViews, task_status, with_status
from commitments.audit.application.ports import PublicEvents, TaskReader
from commitments.audit.domain.diff import diff
from commitments.audit.domain.replay import replay
from commitments.audit.domain.timetravel import figures
from commitments.domain.errors import TaskNotFound
from commitments.domain.task import Task
from shared.periods import ReportingPeriod
from shared.rules import rates
from shared.rules.pace import Pace, PaceFacts, pace_at
from shared.vn import end_of_day, format_date


def view_at(views: TaskViews, task: Task | None, instant: datetime) -> dict[str, Any] | None:
    if task is None:
        return None
    return with_status(views.facts(task), task_status(task, instant))


def task_as_of(reader: TaskReader, views: TaskViews, task_id: UUID, instant: datetime) -> dict[str, Any]:
    if reader.latest_version(task_id) == 0:
        raise TaskNotFound(task_id)
    view = view_at(views, reader.task_as_of(task_id, instant), instant)
    return {"task_id": str(task_id), "as_of": instant.isoformat(), "basis": "recorded", "registered": view is not None,
            "task": view}


def reported_for(reader: TaskReader, views: TaskViews, public: PublicEvents, task_id: UUID,
                 period: ReportingPeriod) -> dict[str, Any]:
    events = reader.history(task_id)
    if not events:
        raise TaskNotFound(task_id)
    effective: list[datetime] = []
    task: Task | None = None
    for event in events:
        task = cast("Task", event.mutate(task))
        effective.append(public.effective_at(event, task))
    cut = period.ends_at
    reported = view_at(views, replay([e for e, at in zip(events, effective, strict=True) if at <= cut]), cut)
    recorded = view_at(views, replay([e for e in events if e.timestamp <= cut]), cut)
    return {"task_id": str(task_id),
            "period": {"code": period.code, "label": period.label, "starts_at": period.starts_at.isoformat(),
                       "ends_at": cut.isoformat()},
            "reported_for": reported, "recorded_by": recorded,
            "differences": diff(recorded or {}, reported or {}),
            "late": [_mark(e, at) for e, at in zip(events, effective, strict=True) if at <= cut < e.timestamp],
            "not_yet_effective": [_mark(e, at) for e, at in zip(events, effective, strict=True)
                                  if e.timestamp <= cut < at]}


def _mark(event: Task.Event, effective_at: datetime) -> dict[str, Any]:
    return {"version": event.originator_version, "kind": type(event).__name__,
            "recorded_at": event.timestamp.isoformat(), "effective_at": effective_at.isoformat()}


def program_as_of(reader: TaskReader, task_ids: Iterable[UUID], day: date) -> dict[str, Any]:
    """The program's dashboard figures as they stood at the end of a civil day in Vietnam."""
    return {"date": day.isoformat(), "date_label": format_date(day), **program_at(reader, task_ids, end_of_day(day))}


def program_at(reader: TaskReader, task_ids: Iterable[UUID], instant: datetime) -> dict[str, Any]:
    """The program's figures at an instant, by the dashboard's definitions (`shared.rules`): the same
    counts, rates, exceeding and at-risk tasks the dashboard showed then, for the program and each unit."""
    rows = []
    for task_id in task_ids:
        task = reader.task_as_of(task_id, instant)
        if task is not None:
            rows.append((task, judged(task, instant)))
    return {"as_of": instant.isoformat(), **figures([j for _, j in rows]),
            "by_unit": [{"unit": unit, **figures([j for t, j in rows if t.unit == unit])}
                        for unit in sorted({t.unit for t, _ in rows})],
            "tasks": [{"task_id": str(t.id), "ref": t.ref, "unit": t.unit, "version": t.version,
                       "status": j.status.value, "status_label": j.status.label, "achieved_value": t.achieved_value,
                       "percent_of_target": t.target.percent_of(t.achieved_value), "at_risk": j.at_risk}
                      for t, j in rows]}


def judged(task: Task, instant: datetime) -> rates.Judged:
    facts = PaceFacts(lifecycle=task.lifecycle.value, program_year=task.program_year, due_at=task.effective_deadline(),
                      target_kind=task.target.kind.value, target_minimum=task.target.minimum,
                      achieved_value=task.achieved_value)
    return rates.Judged(task_status(task, instant), task.target.exceeds(task.achieved_value),
                        pace_at(facts, instant) is Pace.AT_RISK)
