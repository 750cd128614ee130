"""Request bodies. Unknown fields are refused (422 naming them); texts are bounded, NFC, and hold no
control character, lone surrogate, noncharacter or bidirectional override (shared.text)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.text import MultiLine, OneLine

Text = Annotated[str, StringConstraints(max_length=2000), MultiLine]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000), MultiLine]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200), OneLine]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500), OneLine]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Evidence = Annotated[list[Line], Field(max_length=20)]
Deadline = Annotated[str, StringConstraints(max_length=100), OneLine]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TargetIn(Body):
    """A target given field by field (instead of its wording)."""

    kind: Literal["at_least", "exactly", "range", "percentage", "milestone", "qualitative"]
    minimum: float | None = Field(default=None, ge=0)
    maximum: float | None = Field(default=None, ge=0)
    measure: Annotated[str, StringConstraints(max_length=2000), OneLine] = ""
    per: Literal["năm", "quý", "tháng", "tuần"] | None = None
    text: Text = ""


TargetSpec = Annotated[str, StringConstraints(min_length=1, max_length=300), OneLine] | TargetIn


class ApprovalIn(Body):
    approved_by: Short = Field(description="The approving officer, e.g. 'Trần Ngọc Lâm, Giám đốc Sở'.")
    document: Short = Field(description="The approval document's number, e.g. 'Số: 123/QĐ-SKHCN'.")
    signed_on: date | None = None


class TaskCreate(Body):
    program_year: int = Field(ge=2000, le=2100)
    ref: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")] | None = Field(
        default=None, description="The task's reference in the program (e.g. 'QLCN-02'); generated if omitted.")
    unit: Code
    title: Annotated[str, StringConstraints(min_length=1, max_length=1000), OneLine]
    description: Text = ""
    target: TargetSpec | None = Field(default=None, description="As written ('ít nhất 10 doanh nghiệp') or "
                                                                "field by field; omit for a qualitative task.")
    milestone: Text | None = Field(default=None, description="What 'done' means, for a milestone task.")
    deadline: Annotated[str, StringConstraints(max_length=100), OneLine] | None = Field(
        default=None, description="As written: '6/2025', 'Quý III/2025', '15h00 ngày 24/12/2025', 'từ năm 2025'.")
    cooperating_units: Annotated[list[Code], Field(max_length=30)] = []
    legal_basis: Annotated[list[Line], Field(max_length=20)] = []


class RevisionCreate(Body):
    new_target: TargetSpec | None = None
    new_milestone: Text | None = None
    new_deadline: Annotated[str, StringConstraints(max_length=100), OneLine] | None = None
    reason: Reason
    approval: ApprovalIn
    effective_on: date


class EvidenceFileRef(Body):
    """An uploaded file cited by its hash (POST /api/v1/evidence answered it); the service adds its
    media type and size from the store."""

    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    name: Annotated[str, StringConstraints(min_length=1, max_length=255), OneLine]


EvidenceFiles = Annotated[list[EvidenceFileRef], Field(max_length=10)]


class ProgressReportCreate(Body):
    as_of: date
    period: Annotated[str, StringConstraints(max_length=10)] = Field(
        description="Reporting period: '2025-06', '2025-Q2', '2025-H1', '2025-9M' or '2025'.")
    achieved_value: float | None = Field(default=None, ge=0, le=1e12,
                                         description="Cumulative value achieved; for a milestone 1 (done) or 0.")
    milestone_done: bool | None = None
    note: Text = ""
    evidence: Evidence = []
    evidence_files: EvidenceFiles = []


class CompletionRequestCreate(Body):
    completed_on: date | None = Field(default=None, description="The day the work was done; today if omitted.")
    note: Text = ""
    evidence: Evidence = []
    evidence_files: EvidenceFiles = []


class RevisionProposalCreate(Body):
    target: TargetSpec | None = Field(default=None, description="The proposed target as written; null keeps it.")
    milestone: Text | None = None
    deadline: Deadline | None = Field(default=None, description="The proposed deadline as written; null keeps it.")
    reason: Reason
    evidence_files: EvidenceFiles = []


class ProposalApproval(Body):
    approval: ApprovalIn
    effective_on: date


class UnitReassignmentCreate(Body):
    to_unit: Code
    reason: Reason
    approval: ApprovalIn | None = None
    program_year: int | None = Field(default=None, ge=2000, le=2100)


class PreviewIn(Body):
    target: TargetSpec | None = None
    milestone: Text | None = None
    deadline: Deadline | None = None
    program_year: int = Field(ge=2000, le=2100)


class NoteIn(Body):
    note: Text = ""


class ReasonIn(Body):
    reason: Reason


class ApprovedReasonIn(ReasonIn):
    approval: ApprovalIn


class ReassignmentCreate(Body):
    to_unit: Code
    reason: Reason
    approval: ApprovalIn | None = None


class Accepted(BaseModel):
    task_id: str
    ref: str
    version: int
    events: list[str]
    proposal_id: str | None = None  # only for a revision proposal
