"""Value objects shared by the public task events (version 1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Contract(BaseModel):
    """Frozen, and tolerant on reading: a consumer ignores fields added after it was written."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


TargetKindV1 = Literal["at_least", "exactly", "range", "percentage", "milestone", "qualitative"]
DeadlineKindV1 = Literal["none", "day", "exact", "month", "quarter", "half_year", "year", "recurring_yearly",
                         "multi_year"]
PeriodKindV1 = Literal["month", "quarter", "half", "nine_months", "year"]
RoleV1 = Literal["office", "unit_staff", "unit_head", "board", "inspector", "system"]
LifecycleV1 = Literal["active", "awaiting_confirmation", "completed", "suspended", "cancelled"]


class ActorV1(Contract):
    """The authenticated person who made the change."""

    user_id: str
    name: str
    unit: str
    role: RoleV1
    # Who the person is at the identity provider (its `iss` and `sub`); added later, so "" on older events.
    issuer: str = ""
    subject: str = ""


class TargetV1(Contract):
    kind: TargetKindV1
    text: str = Field(description="As written in the program, e.g. 'ít nhất 10 doanh nghiệp'.")
    measure: str = Field(description="Unit of measure, e.g. 'doanh nghiệp', 'lớp'.")
    minimum: float | None = Field(description="At least N / exactly N / range minimum / the percentage.")
    maximum: float | None = Field(description="Range maximum; equals minimum for exactly N.")
    per: str | None = Field(description="Rate period for targets such as '4 – 5 cuộc/năm' ('năm').")


class DeadlineV1(Contract):
    kind: DeadlineKindV1
    text: str = Field(description="As written, e.g. 'Quý III/2025', '15h00 ngày 24/12/2025'.")
    starts_at: AwareDatetime | None
    ends_at: AwareDatetime | None = Field(description="Effective end as written (first year if recurring), UTC.")
    recurring: bool
    due_at: AwareDatetime = Field(description="When the task falls due within its program year (UTC); "
                                              "the end of the program year when no deadline is written.")


class PeriodV1(Contract):
    code: str = Field(description="'2025-06', '2025-Q2', '2025-H1', '2025-9M' or '2025'.")
    kind: PeriodKindV1
    year: int
    number: int
    label: str = Field(description="In Vietnamese, e.g. 'Quý II/2025'.")


class EvidenceFileV1(Contract):
    """An uploaded evidence file as the event recorded it; download it by its SHA-256."""

    name: str = Field(description="The file name the user gave, e.g. 'bao-cao-quy-2.pdf'.")
    media_type: str = Field(description="Read from the bytes by the service, e.g. 'application/pdf'.")
    size: int = Field(ge=0, description="Bytes.")
    sha256: str = Field(description="SHA-256 of the bytes, lowercase hex: GET /api/v1/evidence/{sha256}.")


class ApprovalV1(Contract):
    approved_by: str
    document: str = Field(description="The approval document's number, e.g. 'Số: 123/QĐ-SKHCN'.")
    signed_on: date | None


class TaskSnapshotV1(Contract):
    """A task's facts after an event, for subscribers that start following it mid-way (reassignment)."""

    ref: str
    title: str
    description: str
    target: TargetV1
    deadline: DeadlineV1
    cooperating_units: list[str]
    legal_basis: list[str]
    lifecycle: LifecycleV1
    achieved_value: float | None
    last_report_as_of: date | None
    completed_on: date | None
    registered_at: datetime
