"""A task's facts as its events tell them (`domain/events.py`, translated from the public contract in
`integration/`), folded event by event. Pure.

Only calendar-independent facts are kept; the Vietnamese status and the pace depend on "now" and
are computed when asked (see shared.status and pace.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from reporting.domain import events as e
from reporting.domain import targets
from reporting.domain.terms import Deadline, Target
from shared.status import StatusFacts, completed_on_time, has_started, status_facts


@dataclass(frozen=True)
class TaskState:
    task_id: UUID
    org: str
    program_year: int
    ref: str
    unit: str
    title: str
    description: str
    target: Target
    deadline: Deadline
    lifecycle: str
    registered_at: datetime
    updated_at: datetime
    version: int
    achieved_value: float | None = None
    last_report_as_of: date | None = None
    completion_requested_on: date | None = None
    completed_on: date | None = None
    revisions: int = 0
    previous_units: tuple[str, ...] = ()
    cooperating_units: tuple[str, ...] = ()
    open_proposal_id: UUID | None = None  # a unit head's revision proposal the Board has not decided

    @property
    def due_at(self) -> datetime:
        return self.deadline.due_at

    @property
    def started(self) -> bool:
        return has_started(self.last_report_as_of)

    @property
    def on_time(self) -> bool | None:
        """Completed on or before the day it fell due; None until completion is confirmed."""
        if self.lifecycle != "completed" or self.completed_on is None:
            return None
        return completed_on_time(self.completed_on, self.due_at)

    @property
    def percent_of_target(self) -> float | None:
        return targets.percent_of(self.target, self.achieved_value)

    @property
    def exceeds_target(self) -> bool:
        return targets.exceeds(self.target, self.achieved_value)

    @property
    def target_met(self) -> bool | None:
        return targets.is_met(self.target, self.achieved_value)

    def evolved(self, **changes: Any) -> TaskState:
        """A copy with `changes` (dataclasses.replace without re-running __init__: folding thousands of
        events a second makes the difference)."""
        copy = object.__new__(TaskState)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    def status_facts(self) -> StatusFacts:
        return status_facts(self.lifecycle, self.due_at, self.last_report_as_of, self.completed_on)


class UnknownTask(ValueError):
    """An event for a task this state has not seen registered (the caller's order check failed)."""


def evolve(state: TaskState | None, event: e.TaskEvent) -> TaskState:
    """The task's facts after `event`."""
    if isinstance(event, e.TaskRegistered):
        return TaskState(task_id=event.task_id, org=event.org, program_year=event.program_year, ref=event.task_ref,
                         unit=event.unit, title=event.title, description=event.description, target=event.target,
                         deadline=event.deadline, lifecycle="active", registered_at=event.recorded_at,
                         updated_at=event.recorded_at, version=event.version,
                         cooperating_units=event.cooperating_units)
    if isinstance(event, e.TaskReassigned) and state is None:
        state = _from_snapshot(event)
    if state is None:
        raise UnknownTask(f"{type(event).__name__} for task {event.task_id} before it was registered")
    changes = _changes(state, event)
    return state.evolved(unit=event.unit, version=event.version, updated_at=event.recorded_at, **changes)


def _changes(state: TaskState, event: e.TaskEvent) -> dict[str, Any]:
    match event:
        case e.TargetRevised():
            closes = {"open_proposal_id": None} if event.proposal_id is not None else {}
            return {"target": event.new_target, "deadline": event.new_deadline, "revisions": state.revisions + 1,
                    **closes}
        case e.RevisionProposed():
            return {"open_proposal_id": event.proposal_id}
        case e.RevisionDeclined():
            return {"open_proposal_id": None}
        case e.ProgressReported():
            achieved = event.achieved_value if event.achieved_value is not None else state.achieved_value
            return {"achieved_value": achieved, "last_report_as_of": event.as_of}
        case e.CompletionRequested():
            return {"lifecycle": "awaiting_confirmation", "completion_requested_on": event.completed_on}
        case e.CompletionConfirmed():
            return {"lifecycle": "completed", "completed_on": event.completed_on}
        case e.CompletionRejected():
            return {"lifecycle": "active", "completion_requested_on": None}
        case e.TaskCancelled():
            return {"lifecycle": "cancelled"}
        case e.TaskSuspended():
            return {"lifecycle": "suspended"}
        case e.TaskResumed():
            return {"lifecycle": "active"}
        case e.TaskReassigned():
            previous = state.previous_units if event.from_unit in state.previous_units else (
                *state.previous_units, event.from_unit)
            return {"cooperating_units": tuple(u for u in state.cooperating_units if u != event.to_unit),
                    "previous_units": previous}
    return {}


def _from_snapshot(event: e.TaskReassigned) -> TaskState:
    """A task first seen through its reassignment: the event carries the whole task."""
    s = event.task
    return TaskState(task_id=event.task_id, org=event.org, program_year=event.program_year, ref=s.ref,
                     unit=event.from_unit, title=s.title, description=s.description, target=s.target,
                     deadline=s.deadline, lifecycle=s.lifecycle, registered_at=s.registered_at,
                     updated_at=event.recorded_at, version=event.version - 1, achieved_value=s.achieved_value,
                     last_report_as_of=s.last_report_as_of, completed_on=s.completed_on,
                     cooperating_units=s.cooperating_units)
