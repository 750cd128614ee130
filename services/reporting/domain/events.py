"""The task events as the reporting side reads them: plain frozen values with what its read models use.

`integration/contract_v1.py` makes them from version 1 of the public contract; a later contract
version gets a translator beside it, and nothing here changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from reporting.domain.terms import Deadline, Target


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Approval:
    approved_by: str
    document: str  # the approval document's number, e.g. "Số: 123/QĐ-SKHCN"
    signed_on: date | None


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    name: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """A task's facts after an event, for a task first seen through its reassignment."""

    ref: str
    title: str
    description: str
    target: Target
    deadline: Deadline
    cooperating_units: tuple[str, ...]
    lifecycle: str
    achieved_value: float | None
    last_report_as_of: date | None
    completed_on: date | None
    registered_at: datetime


@dataclass(frozen=True, slots=True)
class TaskEvent:
    type: ClassVar[str]
    task_id: UUID
    org: str
    task_ref: str
    program_year: int
    unit: str  # the unit the task belongs to after the event
    version: int  # the task's version after the event
    actor: Actor
    recorded_at: datetime
    effective_at: datetime


@dataclass(frozen=True, slots=True)
class TaskRegistered(TaskEvent):
    type: ClassVar[str] = "TaskRegistered"
    title: str
    description: str
    target: Target
    deadline: Deadline
    cooperating_units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TargetRevised(TaskEvent):
    type: ClassVar[str] = "TargetRevised"
    old_target: Target
    new_target: Target
    old_deadline: Deadline
    new_deadline: Deadline
    target_lowered: bool
    deadline_extended: bool
    reason: str
    approval: Approval
    effective_on: date
    proposal_id: UUID | None  # the unit's proposal this approves, if any


@dataclass(frozen=True, slots=True)
class ProgressReported(TaskEvent):
    type: ClassVar[str] = "ProgressReported"
    achieved_value: float | None
    previous_value: float | None
    as_of: date
    period: str  # the reporting period's code, e.g. "2025-Q2"
    note: str
    evidence: tuple[str, ...]
    evidence_files: tuple[EvidenceFile, ...]


@dataclass(frozen=True, slots=True)
class CompletionRequested(TaskEvent):
    type: ClassVar[str] = "CompletionRequested"
    completed_on: date
    note: str
    evidence: tuple[str, ...]
    evidence_files: tuple[EvidenceFile, ...]


@dataclass(frozen=True, slots=True)
class CompletionConfirmed(TaskEvent):
    type: ClassVar[str] = "CompletionConfirmed"
    completed_on: date
    on_time: bool
    note: str


@dataclass(frozen=True, slots=True)
class CompletionRejected(TaskEvent):
    type: ClassVar[str] = "CompletionRejected"
    reason: str


@dataclass(frozen=True, slots=True)
class TaskCancelled(TaskEvent):
    type: ClassVar[str] = "TaskCancelled"
    reason: str
    approval: Approval


@dataclass(frozen=True, slots=True)
class TaskSuspended(TaskEvent):
    type: ClassVar[str] = "TaskSuspended"
    reason: str
    approval: Approval


@dataclass(frozen=True, slots=True)
class TaskResumed(TaskEvent):
    type: ClassVar[str] = "TaskResumed"
    note: str


@dataclass(frozen=True, slots=True)
class TaskReassigned(TaskEvent):
    type: ClassVar[str] = "TaskReassigned"
    from_unit: str
    to_unit: str
    reason: str
    approval: Approval | None
    task: TaskSnapshot


@dataclass(frozen=True, slots=True)
class RevisionProposed(TaskEvent):
    type: ClassVar[str] = "RevisionProposed"
    proposal_id: UUID
    proposed_target: Target | None  # None: the target stays as it is
    proposed_deadline: Deadline | None
    reason: str
    evidence_files: tuple[EvidenceFile, ...]


@dataclass(frozen=True, slots=True)
class RevisionDeclined(TaskEvent):
    type: ClassVar[str] = "RevisionDeclined"
    proposal_id: UUID
    reason: str
