"""Commands: what a caller asks the commitments service to do. Plain data, already parsed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from commitments.domain.approvals import Approval
from commitments.domain.deadlines import Deadline
from commitments.domain.evidence import EvidenceFile
from commitments.domain.targets import Target
from shared.periods import ReportingPeriod


@dataclass(frozen=True)
class Command:
    task_id: UUID
    expected_version: int | None  # from If-Match; None means "whatever the current version is"


@dataclass(frozen=True)
class RegisterTask(Command):
    org: str
    program_year: int
    ref: str
    unit: str
    title: str
    description: str
    target: Target
    deadline: Deadline
    cooperating_units: tuple[str, ...]
    legal_basis: tuple[str, ...]


@dataclass(frozen=True)
class ReviseTarget(Command):
    reason: str
    approval: Approval
    effective_on: date
    new_target: Target | None
    new_deadline: Deadline | None


@dataclass(frozen=True)
class ReportProgress(Command):
    as_of: date
    period: ReportingPeriod
    achieved_value: float | None
    note: str
    evidence: tuple[str, ...]
    evidence_files: tuple[EvidenceFile, ...] = ()


@dataclass(frozen=True)
class RequestCompletion(Command):
    completed_on: date
    note: str
    evidence: tuple[str, ...]
    evidence_files: tuple[EvidenceFile, ...] = ()


@dataclass(frozen=True)
class ProposeRevision(Command):
    proposal_id: UUID
    reason: str
    new_target: Target | None
    new_deadline: Deadline | None
    evidence_files: tuple[EvidenceFile, ...] = ()


@dataclass(frozen=True)
class ApproveProposal(Command):
    proposal_id: UUID
    approval: Approval
    effective_on: date


@dataclass(frozen=True)
class DeclineProposal(Command):
    proposal_id: UUID
    reason: str


@dataclass(frozen=True)
class ConfirmCompletion(Command):
    note: str


@dataclass(frozen=True)
class RejectCompletion(Command):
    reason: str


@dataclass(frozen=True)
class CancelTask(Command):
    reason: str
    approval: Approval


@dataclass(frozen=True)
class SuspendTask(Command):
    reason: str
    approval: Approval


@dataclass(frozen=True)
class ResumeTask(Command):
    note: str


@dataclass(frozen=True)
class ReassignTask(Command):
    to_unit: str
    reason: str
    approval: Approval | None


@dataclass(frozen=True)
class ReassignUnit(Command):
    """Every open task of `unit` to `to_unit` at once (units merge): all are saved together or none.
    `task_id` names no task: it is derived from the unit, only to keep the Command's shape."""

    org: str
    unit: str
    to_unit: str
    reason: str
    approval: Approval | None
    program_year: int | None
