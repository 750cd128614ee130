"""Version 1 of the public task events, as published on NATS (the `data` of each CloudEvent).

Frozen. Additive changes only (a new optional field); anything else is a `v2` module beside this.
Every event says which task, program year and unit it concerns, the task's version after it, who
made it (the authenticated actor), when it was recorded and when it takes effect.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, TypeAdapter

from shared.contracts.common import (
    ActorV1,
    ApprovalV1,
    Contract,
    DeadlineV1,
    EvidenceFileV1,
    PeriodV1,
    TargetV1,
    TaskSnapshotV1,
)

SCHEMA_VERSION = 1


class TaskEventV1(Contract):
    schema_version: ClassVar[int] = SCHEMA_VERSION

    event_id: UUID = Field(description="Stable id of the event: also the CloudEvents id and Nats-Msg-Id.")
    org: str = Field(description="Organisation code, e.g. 'qt-skhcn'.")
    task_id: UUID
    task_ref: str = Field(description="The task's reference in its program, e.g. 'QLCN-02'.")
    program_year: int
    unit: str = Field(description="Code of the unit (chủ trì) the task belongs to after this event.")
    task_version: int = Field(ge=1, description="The task's version after this event; consecutive per task.")
    actor: ActorV1
    recorded_at: AwareDatetime = Field(description="When the change was recorded (UTC).")
    effective_at: AwareDatetime = Field(description="When the change takes effect (UTC): the as-of day of a "
                                                    "report, the effective date of a revision.")


class TaskRegisteredV1(TaskEventV1):
    type: Literal["TaskRegistered"] = "TaskRegistered"
    title: str
    description: str
    target: TargetV1
    deadline: DeadlineV1
    cooperating_units: list[str]
    legal_basis: list[str]


class TargetRevisedV1(TaskEventV1):
    type: Literal["TargetRevised"] = "TargetRevised"
    old_target: TargetV1
    new_target: TargetV1
    old_deadline: DeadlineV1
    new_deadline: DeadlineV1
    target_lowered: bool = Field(description="The new target asks for less than the old one.")
    deadline_extended: bool = Field(description="The new deadline falls due later than the old one.")
    reason: str
    approval: ApprovalV1
    effective_on: date
    proposal_id: UUID | None = Field(default=None, description="The unit's proposal this approves; null for a "
                                                               "revision the Board made directly.")


class ProgressReportedV1(TaskEventV1):
    type: Literal["ProgressReported"] = "ProgressReported"
    achieved_value: float | None = Field(description="Cumulative value achieved (1/0 for a milestone done/not "
                                                     "done); null for a qualitative task.")
    previous_value: float | None
    as_of: date
    period: PeriodV1
    note: str
    evidence: list[str]
    evidence_files: list[EvidenceFileV1] = Field(default=[], description="Uploaded evidence, by SHA-256.")


class CompletionRequestedV1(TaskEventV1):
    type: Literal["CompletionRequested"] = "CompletionRequested"
    completed_on: date
    note: str
    evidence: list[str]
    evidence_files: list[EvidenceFileV1] = Field(default=[], description="Uploaded evidence, by SHA-256.")


class CompletionConfirmedV1(TaskEventV1):
    type: Literal["CompletionConfirmed"] = "CompletionConfirmed"
    completed_on: date
    on_time: bool = Field(description="Completed on or before the day the task fell due.")
    note: str


class CompletionRejectedV1(TaskEventV1):
    type: Literal["CompletionRejected"] = "CompletionRejected"
    reason: str


class TaskCancelledV1(TaskEventV1):
    type: Literal["TaskCancelled"] = "TaskCancelled"
    reason: str
    approval: ApprovalV1


class TaskSuspendedV1(TaskEventV1):
    type: Literal["TaskSuspended"] = "TaskSuspended"
    reason: str
    approval: ApprovalV1


class TaskResumedV1(TaskEventV1):
    type: Literal["TaskResumed"] = "TaskResumed"
    note: str


class TaskReassignedV1(TaskEventV1):
    type: Literal["TaskReassigned"] = "TaskReassigned"
    from_unit: str
    to_unit: str
    reason: str
    approval: ApprovalV1 | None
    task: TaskSnapshotV1


class RevisionProposedV1(TaskEventV1):
    type: Literal["RevisionProposed"] = "RevisionProposed"
    proposal_id: UUID
    proposed_target: TargetV1 | None = Field(description="null: the target stays as it is.")
    proposed_deadline: DeadlineV1 | None = Field(description="null: the deadline stays as it is.")
    reason: str
    evidence_files: list[EvidenceFileV1] = Field(default=[], description="Uploaded evidence, by SHA-256.")


class RevisionDeclinedV1(TaskEventV1):
    type: Literal["RevisionDeclined"] = "RevisionDeclined"
    proposal_id: UUID
    reason: str


AnyTaskEventV1 = Annotated[
    TaskRegisteredV1 | TargetRevisedV1 | ProgressReportedV1 | CompletionRequestedV1 | CompletionConfirmedV1
    | CompletionRejectedV1 | TaskCancelledV1 | TaskSuspendedV1 | TaskResumedV1 | TaskReassignedV1
    | RevisionProposedV1 | RevisionDeclinedV1,
    Field(discriminator="type"),
]
EVENT_TYPES: dict[str, type[TaskEventV1]] = {
    cls.model_fields["type"].default: cls
    for cls in (TaskRegisteredV1, TargetRevisedV1, ProgressReportedV1, CompletionRequestedV1,
                CompletionConfirmedV1, CompletionRejectedV1, TaskCancelledV1, TaskSuspendedV1, TaskResumedV1,
                TaskReassignedV1, RevisionProposedV1, RevisionDeclinedV1)
}
_ADAPTER: TypeAdapter[AnyTaskEventV1] = TypeAdapter(AnyTaskEventV1)


def parse_task_event(data: bytes | str) -> TaskEventV1:
    """Reads the JSON `data` of a task CloudEvent into its contract (the `type` field selects it)."""
    event: TaskEventV1 = _ADAPTER.validate_json(data)
    return event
