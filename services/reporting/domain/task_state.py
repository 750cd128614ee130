"""A task's facts as the public events tell them, folded event by event. Pure.

Only calendar-independent facts are kept; the Vietnamese status and the pace depend on "now" and
are computed when asked (see status.py and pace.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from reporting.domain import targets
from shared.contracts import v1
from shared.contracts.common import DeadlineV1, TargetV1
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
    target: TargetV1
    deadline: DeadlineV1
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


def evolve(state: TaskState | None, event: v1.TaskEventV1) -> TaskState:
    """The task's facts after `event`."""
    if isinstance(event, v1.TaskRegisteredV1):
        return TaskState(task_id=event.task_id, org=event.org, program_year=event.program_year, ref=event.task_ref,
                         unit=event.unit, title=event.title, description=event.description, target=event.target,
                         deadline=event.deadline, lifecycle="active", registered_at=event.recorded_at,
                         updated_at=event.recorded_at, version=event.task_version,
                         cooperating_units=tuple(event.cooperating_units))
    if isinstance(event, v1.TaskReassignedV1) and state is None:
        state = _from_snapshot(event)
    if state is None:
        raise UnknownTask(f"{type(event).__name__} for task {event.task_id} before it was registered")
    changes = _changes(state, event)
    return state.evolved(unit=event.unit, version=event.task_version, updated_at=event.recorded_at, **changes)


def _changes(state: TaskState, event: v1.TaskEventV1) -> dict[str, Any]:
    match event:
        case v1.TargetRevisedV1():
            closes = {"open_proposal_id": None} if event.proposal_id is not None else {}
            return {"target": event.new_target, "deadline": event.new_deadline, "revisions": state.revisions + 1,
                    **closes}
        case v1.RevisionProposedV1():
            return {"open_proposal_id": event.proposal_id}
        case v1.RevisionDeclinedV1():
            return {"open_proposal_id": None}
        case v1.ProgressReportedV1():
            achieved = event.achieved_value if event.achieved_value is not None else state.achieved_value
            return {"achieved_value": achieved, "last_report_as_of": event.as_of}
        case v1.CompletionRequestedV1():
            return {"lifecycle": "awaiting_confirmation", "completion_requested_on": event.completed_on}
        case v1.CompletionConfirmedV1():
            return {"lifecycle": "completed", "completed_on": event.completed_on}
        case v1.CompletionRejectedV1():
            return {"lifecycle": "active", "completion_requested_on": None}
        case v1.TaskCancelledV1():
            return {"lifecycle": "cancelled"}
        case v1.TaskSuspendedV1():
            return {"lifecycle": "suspended"}
        case v1.TaskResumedV1():
            return {"lifecycle": "active"}
        case v1.TaskReassignedV1():
            previous = state.previous_units if event.from_unit in state.previous_units else (
                *state.previous_units, event.from_unit)
            return {"cooperating_units": tuple(u for u in state.cooperating_units if u != event.to_unit),
                    "previous_units": previous}
    return {}


def _from_snapshot(event: v1.TaskReassignedV1) -> TaskState:
    """A task first seen through its reassignment: the event carries the whole task."""
    s = event.task
    return TaskState(task_id=event.task_id, org=event.org, program_year=event.program_year, ref=s.ref,
                     unit=event.from_unit, title=s.title, description=s.description, target=s.target,
                     deadline=s.deadline, lifecycle=s.lifecycle, registered_at=s.registered_at,
                     updated_at=event.recorded_at, version=event.task_version - 1, achieved_value=s.achieved_value,
                     last_report_as_of=s.last_report_as_of, completed_on=s.completed_on,
                     cooperating_units=tuple(s.cooperating_units))
