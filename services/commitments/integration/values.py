"""Domain value objects → public contract value objects (version 1)."""

from __future__ import annotations

from typing import Any

from commitments.domain.actor import Actor
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import Deadline
from commitments.domain.evidence import EvidenceFile
from commitments.domain.targets import Target
from commitments.domain.task import Task
from shared.contracts.common import (
    ActorV1,
    ApprovalV1,
    DeadlineV1,
    EvidenceFileV1,
    PeriodV1,
    TargetV1,
    TaskSnapshotV1,
)
from shared.periods import ReportingPeriod


def actor_v1(actor: Actor) -> ActorV1:
    return ActorV1(user_id=actor.user_id, name=actor.name, unit=actor.unit, role=actor.role.value,
                   issuer=actor.issuer, subject=actor.subject)


def target_v1(target: Target) -> TargetV1:
    return TargetV1(kind=target.kind.value, text=target.text, measure=target.measure, minimum=target.minimum,
                    maximum=target.maximum, per=target.per)


def deadline_v1(deadline: Deadline, program_year: int) -> DeadlineV1:
    return DeadlineV1(kind=deadline.kind.value, text=deadline.text, starts_at=deadline.starts_at,
                      ends_at=deadline.ends_at, recurring=deadline.recurring,
                      due_at=deadline.effective_end(program_year))


def period_v1(period: ReportingPeriod) -> PeriodV1:
    return PeriodV1(code=period.code, kind=period.kind.value, year=period.year, number=period.number,
                    label=period.label)


def evidence_file_v1(file: EvidenceFile) -> EvidenceFileV1:
    return EvidenceFileV1(name=file.name, media_type=file.media_type, size=file.size, sha256=file.sha256)


def evidence_files_v1(files: tuple[EvidenceFile, ...]) -> list[EvidenceFileV1]:
    return [evidence_file_v1(f) for f in files]


def approval_v1(approval: Approval) -> ApprovalV1:
    return ApprovalV1(approved_by=approval.approved_by, document=approval.document, signed_on=approval.signed_on)


def optional_approval_v1(approval: Approval | None) -> ApprovalV1 | None:
    return approval_v1(approval) if approval is not None else None


def snapshot_v1(task: Task) -> TaskSnapshotV1:
    return TaskSnapshotV1(
        ref=task.ref, title=task.title, description=task.description, target=target_v1(task.target),
        deadline=deadline_v1(task.deadline, task.program_year), cooperating_units=list(task.cooperating_units),
        legal_basis=list(task.legal_basis), lifecycle=task.lifecycle.value, achieved_value=task.achieved_value,
        last_report_as_of=task.last_report_as_of, completed_on=task.completed_on, registered_at=task.created_on,
    )


class ContractV1Values:
    """ports.ValueViews: each value as JSON in its contract-v1 shape, as the public events carry it."""

    def target(self, target: Target, /) -> dict[str, Any]:
        return target_v1(target).model_dump(mode="json")

    def deadline(self, deadline: Deadline, program_year: int, /) -> dict[str, Any]:
        return deadline_v1(deadline, program_year).model_dump(mode="json")

    def evidence_file(self, file: EvidenceFile, /) -> dict[str, Any]:
        return evidence_file_v1(file).model_dump(mode="json")

    def actor(self, actor: Actor, /) -> dict[str, Any]:
        return actor_v1(actor).model_dump(mode="json")


def asks_for_less(old: Target, new: Target) -> bool:
    """A lowered target: a smaller threshold, or a number dropped for a milestone or qualitative task."""
    if old.threshold is None:
        return False
    if new.threshold is None or new.kind.value == "qualitative":
        return True
    return new.threshold < old.threshold
