"""A task's facts as this service needs them, projected from its task events (`task_events`: the
public contracts as `notifications.integration.task_events` translates them).

`apply` is pure: the facts before an event and the event give the facts after it. Events arrive in
per-task version order; one already applied (a redelivery) or one for a task never registered here
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypedDict
from uuid import UUID

from notifications.domain import task_events as ev
from shared.vn import local_instant

NUMERIC_KINDS = frozenset({"at_least", "exactly", "range", "percentage"})


@dataclass(frozen=True, slots=True)
class TaskFacts:
    task_id: UUID
    org: str
    ref: str
    title: str
    program_year: int
    unit: str
    target_kind: str
    target_text: str
    target_minimum: float | None  # the number a linear pace aims at (None: milestone, qualitative)
    measure: str
    deadline_text: str
    due_at: datetime  # Deadline.due_at: when the task falls due within its program year (UTC)
    starts_at: datetime  # the written period's start, else the program year's: a "no progress" silence counts from here
    lifecycle: str  # active | awaiting_confirmation | completed | suspended | cancelled
    registered_at: datetime
    version: int
    updated_at: datetime  # recorded time of the last event applied
    achieved_value: float | None = None
    last_report_at: datetime | None = None  # when the last progress report was recorded
    last_report_as_of: date | None = None
    resumed_at: datetime | None = None
    completion_requested_at: datetime | None = None
    completed_on: date | None = None  # the day the unit says the work was done
    completed_at: datetime | None = None  # when the Board confirmed it
    cancelled_at: datetime | None = None
    revised_at: datetime | None = None
    revisions: int = 0
    target_lowered: bool = False  # of the last revision
    deadline_extended: bool = False

    @property
    def pace_target(self) -> float | None:
        if self.target_kind not in NUMERIC_KINDS or not self.target_minimum:
            return None
        return self.target_minimum

    @property
    def quiet_since(self) -> datetime:
        """The last sign of life a "no progress" silence is counted from."""
        since = self.registered_at if self.registered_at > self.starts_at else self.starts_at
        for mark in (self.last_report_at, self.resumed_at):
            if mark is not None and mark > since:
                since = mark
        return since


def apply(facts: TaskFacts | None, event: ev.TaskEvent) -> TaskFacts | None:
    if isinstance(event, ev.TaskRegistered):
        return facts if facts is not None else registered(event)
    if isinstance(event, ev.TaskReassigned) and facts is None:
        return from_snapshot(event)  # a subscriber that starts following mid-way
    if facts is None or event.task_version <= facts.version:
        return facts
    return replace(_changed(facts, event), version=event.task_version, unit=event.unit,
                   updated_at=event.recorded_at)


def _changed(f: TaskFacts, e: ev.TaskEvent) -> TaskFacts:
    match e:
        case ev.ProgressReported():
            value = e.achieved_value if e.achieved_value is not None else f.achieved_value
            return replace(f, achieved_value=value, last_report_at=e.recorded_at, last_report_as_of=e.as_of)
        case ev.TargetRevised():
            return replace(f, **_target(e.new_target), **_deadline(e.new_deadline, f.program_year),
                           revised_at=e.recorded_at, revisions=f.revisions + 1, target_lowered=e.target_lowered,
                           deadline_extended=e.deadline_extended)
        case ev.CompletionRequested():
            return replace(f, lifecycle="awaiting_confirmation", completion_requested_at=e.recorded_at,
                           completed_on=e.completed_on)
        case ev.CompletionConfirmed():
            return replace(f, lifecycle="completed", completed_on=e.completed_on, completed_at=e.recorded_at)
        case ev.CompletionRejected():
            return replace(f, lifecycle="active", completion_requested_at=None, completed_on=None)
        case ev.TaskCancelled():
            return replace(f, lifecycle="cancelled", cancelled_at=e.recorded_at)
        case ev.TaskSuspended():
            return replace(f, lifecycle="suspended")
        case ev.TaskResumed():
            return replace(f, lifecycle="active", resumed_at=e.recorded_at)
    return f  # TaskReassigned: the unit changes, which `apply` does for every event; others: the version


def registered(e: ev.TaskRegistered) -> TaskFacts:
    return TaskFacts(task_id=e.task_id, org=e.org, ref=e.ref, title=e.title, program_year=e.program_year,
                     unit=e.unit, lifecycle="active", registered_at=e.recorded_at, version=e.task_version,
                     updated_at=e.recorded_at, **_target(e.target), **_deadline(e.deadline, e.program_year))


def from_snapshot(e: ev.TaskReassigned) -> TaskFacts:
    s = e.task
    return TaskFacts(task_id=e.task_id, org=e.org, ref=s.ref, title=s.title, program_year=e.program_year,
                     unit=e.unit, lifecycle=s.lifecycle, registered_at=s.registered_at, version=e.task_version,
                     updated_at=e.recorded_at, achieved_value=s.achieved_value,
                     last_report_as_of=s.last_report_as_of, completed_on=s.completed_on,
                     **_target(s.target), **_deadline(s.deadline, e.program_year))


class _TargetFields(TypedDict):
    target_kind: str
    target_text: str
    target_minimum: float | None
    measure: str


class _DeadlineFields(TypedDict):
    deadline_text: str
    due_at: datetime
    starts_at: datetime


def _target(t: ev.Target) -> _TargetFields:
    return {"target_kind": t.kind, "target_text": t.text, "target_minimum": t.minimum, "measure": t.measure}


def _deadline(d: ev.Deadline, program_year: int) -> _DeadlineFields:
    start = d.starts_at if d.starts_at is not None and d.starts_at < d.due_at else program_start(program_year)
    return {"deadline_text": d.text, "due_at": d.due_at, "starts_at": start}


def program_start(program_year: int) -> datetime:
    return local_instant(date(program_year, 1, 1))
