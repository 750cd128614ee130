"""The task events as this service reads them: plain values holding only what its rules use.

The public task contracts (version 1, in the shared package) are translated into these in
`notifications.integration.task_events`, so the domain never depends on a wire format: a v2
contract needs one new translator there and nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # at_least | exactly | range | percentage | milestone | qualitative
    text: str  # as written, e.g. "ít nhất 10 doanh nghiệp"
    minimum: float | None
    measure: str


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str  # as written, e.g. "Quý III/2025"
    due_at: datetime  # when the task falls due within its program year (UTC)
    starts_at: datetime | None  # the written period's start, if it has one


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskEvent:
    event_id: UUID
    org: str
    task_id: UUID
    program_year: int
    unit: str  # the unit carrying the task after this event
    task_version: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskRegistered(TaskEvent):
    ref: str
    title: str
    target: Target
    deadline: Deadline


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressReported(TaskEvent):
    achieved_value: float | None  # None: a report without a number keeps the value before it
    as_of: date


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetRevised(TaskEvent):
    old_target: Target
    new_target: Target
    old_deadline: Deadline
    new_deadline: Deadline
    target_lowered: bool
    deadline_extended: bool
    reason: str
    document: str  # the approval document's number
    effective_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class CompletionRequested(TaskEvent):
    completed_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class CompletionConfirmed(TaskEvent):
    completed_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class CompletionRejected(TaskEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskCancelled(TaskEvent):
    reason: str
    document: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskSuspended(TaskEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskResumed(TaskEvent):
    pass


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """The task as it stood, carried by a reassignment for a subscriber that starts mid-way."""

    ref: str
    title: str
    target: Target
    deadline: Deadline
    lifecycle: str
    achieved_value: float | None
    last_report_as_of: date | None
    completed_on: date | None
    registered_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskReassigned(TaskEvent):
    from_unit: str
    to_unit: str
    reason: str
    document: str | None
    task: TaskSnapshot


@dataclass(frozen=True, slots=True, kw_only=True)
class OtherTaskEvent(TaskEvent):
    """An event none of this service's rules reads (a revision proposed or declined, a type added
    later): it still moves the task's version on."""

    type: str
