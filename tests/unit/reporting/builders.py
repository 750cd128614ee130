"""Public task events (contracts v1) written by hand, as the commitments publisher would send them.

`TaskScript` tells one task's story: each call returns the next event with the next task_version
and the facts a subscriber would see. `message(event)` is the NATS message (subject, headers, data).
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared.contracts import v1
from shared.contracts.common import (
    ActorV1,
    ApprovalV1,
    DeadlineV1,
    EvidenceFileV1,
    PeriodV1,
    TargetV1,
    TaskSnapshotV1,
)
from shared.envelope import CloudEvent, dataschema, task_event_source, task_event_type
from shared.periods import PeriodKind, ReportingPeriod
from shared.subjects import Subjects
from shared.vn import end_of_day, local_date, local_instant

ORG = "qt-skhcn"
STAFF = ActorV1(user_id="qlcn.an", name="Nguyễn Văn An", unit="ql-cndmst", role="unit_staff")
BOARD = ActorV1(user_id="bgd.lam", name="Trần Ngọc Lâm", unit="bgd", role="board")
HEAD = ActorV1(user_id="qlcn.binh", name="Lê Thị Bình", unit="ql-cndmst", role="unit_head")
PDF = EvidenceFileV1(name="Biên bản.pdf", media_type="application/pdf", size=2048, sha256="cd" * 32)
APPROVAL = ApprovalV1(approved_by="Trần Ngọc Lâm", document="Số: 123/QĐ-SKHCN", signed_on=date(2025, 5, 2))
_sequence = itertools.count(1)


def at_least(n: float, measure: str = "doanh nghiệp") -> TargetV1:
    return TargetV1(kind="at_least", text=f"ít nhất {n:g} {measure}", measure=measure, minimum=n, maximum=None,
                    per=None)


def exactly(n: float, measure: str = "doanh nghiệp") -> TargetV1:
    return TargetV1(kind="exactly", text=f"{n:02g} {measure}", measure=measure, minimum=n, maximum=n, per=None)


def between(low: float, high: float, measure: str = "lớp", per: str | None = None) -> TargetV1:
    text = f"{low:02g} - {high:02g} {measure}" + (f"/{per}" if per else "")
    return TargetV1(kind="range", text=text, measure=measure, minimum=low, maximum=high, per=per)


def percentage(n: float, measure: str = "TTHC") -> TargetV1:
    return TargetV1(kind="percentage", text=f"{n:g}% {measure}", measure=measure, minimum=n, maximum=None, per=None)


def milestone(text: str = "Kế hoạch được ban hành") -> TargetV1:
    return TargetV1(kind="milestone", text=text, measure="", minimum=None, maximum=None, per=None)


def qualitative(text: str = "") -> TargetV1:
    return TargetV1(kind="qualitative", text=text, measure="", minimum=None, maximum=None, per=None)


def due_on(day: date, text: str | None = None) -> DeadlineV1:
    end = end_of_day(day)
    return DeadlineV1(kind="day", text=text or day.strftime("%d/%m/%Y"), starts_at=None, ends_at=end, recurring=False,
                      due_at=end)


def due_month(year: int, month: int) -> DeadlineV1:
    period = ReportingPeriod(year, PeriodKind.MONTH, month)
    return DeadlineV1(kind="month", text=f"{month}/{year}", starts_at=period.starts_at, ends_at=period.ends_at,
                      recurring=False, due_at=period.ends_at)


def due_quarter(year: int, quarter: int) -> DeadlineV1:
    period = ReportingPeriod(year, PeriodKind.QUARTER, quarter)
    return DeadlineV1(kind="quarter", text=f"Quý {quarter}/{year}", starts_at=period.starts_at,
                      ends_at=period.ends_at, recurring=False, due_at=period.ends_at)


def due_year(year: int) -> DeadlineV1:
    period = ReportingPeriod(year, PeriodKind.YEAR)
    return DeadlineV1(kind="year", text=f"năm {year}", starts_at=period.starts_at, ends_at=period.ends_at,
                      recurring=False, due_at=period.ends_at)


def recurring_from(first_year: int, program_year: int) -> DeadlineV1:
    first = ReportingPeriod(first_year, PeriodKind.YEAR)
    return DeadlineV1(kind="recurring_yearly", text=f"từ năm {first_year}", starts_at=first.starts_at,
                      ends_at=first.ends_at, recurring=True, due_at=end_of_day(date(program_year, 12, 31)))


def at(day: date, hour: int = 9) -> datetime:
    """An instant on a civil day in Vietnam."""
    return local_instant(day, time(hour, 0))


class TaskScript:
    """One task's events in order, each with the task's version after it."""

    def __init__(self, ref: str = "QL-CNDMST-01", unit: str = "ql-cndmst", *, year: int = 2025,
                 target: TargetV1 | None = None, deadline: DeadlineV1 | None = None, org: str = ORG,
                 title: str | None = None, task_id: uuid.UUID | None = None) -> None:
        self.task_id = task_id or uuid.uuid5(uuid.NAMESPACE_URL, f"urn:test:{org}:{year}:{ref}:{uuid.uuid4()}")
        self.ref, self.unit, self.year, self.org = ref, unit, year, org
        self.target = target or at_least(10)
        self.deadline = deadline or due_month(year, 6)
        self.title = title or f"Nhiệm vụ {ref}: hỗ trợ doanh nghiệp đổi mới công nghệ"
        self.version = 0
        self.lifecycle, self.achieved, self.last_as_of = "active", None, None
        self.requested_on: date | None = None
        self.completed_on: date | None = None
        self.registered_at = at(date(year, 1, 15))

    def _common(self, recorded: datetime, actor: ActorV1, effective: datetime | None = None) -> dict[str, Any]:
        self.version += 1
        return {"event_id": uuid.uuid5(self.task_id, str(self.version)), "org": self.org, "task_id": self.task_id,
                "task_ref": self.ref, "program_year": self.year, "unit": self.unit, "task_version": self.version,
                "actor": actor, "recorded_at": recorded.astimezone(UTC),
                "effective_at": (effective or recorded).astimezone(UTC)}

    def registered(self, recorded: datetime | None = None) -> v1.TaskRegisteredV1:
        self.registered_at = recorded or self.registered_at
        return v1.TaskRegisteredV1(**self._common(self.registered_at, BOARD), title=self.title,
                                   description="Mô tả nhiệm vụ.", target=self.target, deadline=self.deadline,
                                   cooperating_units=["vp"], legal_basis=["Nghị quyết số 57-NQ/TW"])

    def progress(self, value: float | None, as_of: date, recorded: datetime | None = None,
                 note: str = "Đã triển khai") -> v1.ProgressReportedV1:
        previous = self.achieved
        self.achieved = value if value is not None else self.achieved
        self.last_as_of = as_of
        period = ReportingPeriod.containing(PeriodKind.MONTH, as_of)
        return v1.ProgressReportedV1(
            **self._common(recorded or at(as_of, 16), STAFF, end_of_day(as_of)), achieved_value=value,
            previous_value=previous, as_of=as_of, period=PeriodV1(code=period.code, kind="month", year=period.year,
                                                                  number=period.number, label=period.label),
            note=note, evidence=["bao-cao.pdf"])

    def revised(self, recorded: datetime, *, target: TargetV1 | None = None, deadline: DeadlineV1 | None = None,
                effective_on: date | None = None) -> v1.TargetRevisedV1:
        old_target, old_deadline = self.target, self.deadline
        self.target, self.deadline = target or self.target, deadline or self.deadline
        effective_on = effective_on or local_date(recorded)
        lowered = (old_target.minimum or 0) > (self.target.minimum or 0)
        return v1.TargetRevisedV1(
            **self._common(recorded, BOARD, local_instant(effective_on)), old_target=old_target,
            new_target=self.target, old_deadline=old_deadline, new_deadline=self.deadline, target_lowered=lowered,
            deadline_extended=self.deadline.due_at > old_deadline.due_at, reason="Điều chỉnh theo thực tế",
            approval=APPROVAL, effective_on=effective_on)

    def requested(self, completed_on: date, recorded: datetime | None = None) -> v1.CompletionRequestedV1:
        self.lifecycle, self.requested_on = "awaiting_confirmation", completed_on
        return v1.CompletionRequestedV1(**self._common(recorded or at(completed_on, 17), STAFF,
                                                       end_of_day(completed_on)),
                                        completed_on=completed_on, note="Đề nghị xác nhận", evidence=["kq.pdf"])

    def confirmed(self, recorded: datetime) -> v1.CompletionConfirmedV1:
        assert self.requested_on is not None
        self.lifecycle, self.completed_on = "completed", self.requested_on
        on_time = self.requested_on <= local_date(self.deadline.due_at)
        return v1.CompletionConfirmedV1(**self._common(recorded, BOARD), completed_on=self.requested_on,
                                        on_time=on_time, note="")

    def rejected(self, recorded: datetime) -> v1.CompletionRejectedV1:
        self.lifecycle, self.requested_on = "active", None
        return v1.CompletionRejectedV1(**self._common(recorded, BOARD), reason="Chưa đủ hồ sơ")

    def cancelled(self, recorded: datetime) -> v1.TaskCancelledV1:
        self.lifecycle = "cancelled"
        return v1.TaskCancelledV1(**self._common(recorded, BOARD), reason="Không còn phù hợp", approval=APPROVAL)

    def suspended(self, recorded: datetime) -> v1.TaskSuspendedV1:
        self.lifecycle = "suspended"
        return v1.TaskSuspendedV1(**self._common(recorded, BOARD), reason="Chờ kinh phí", approval=APPROVAL)

    def resumed(self, recorded: datetime) -> v1.TaskResumedV1:
        self.lifecycle = "active"
        return v1.TaskResumedV1(**self._common(recorded, BOARD), note="Tiếp tục")

    def proposed(self, recorded: datetime, proposal_id: uuid.UUID, *, target: TargetV1 | None = None,
                 deadline: DeadlineV1 | None = None) -> v1.RevisionProposedV1:
        return v1.RevisionProposedV1(**self._common(recorded, HEAD), proposal_id=proposal_id, proposed_target=target,
                                     proposed_deadline=deadline, reason="Thiếu kinh phí", evidence_files=[PDF])

    def declined(self, recorded: datetime, proposal_id: uuid.UUID) -> v1.RevisionDeclinedV1:
        return v1.RevisionDeclinedV1(**self._common(recorded, BOARD), proposal_id=proposal_id,
                                     reason="Không đủ căn cứ")

    def reassigned(self, to_unit: str, recorded: datetime) -> v1.TaskReassignedV1:
        from_unit, self.unit = self.unit, to_unit
        common = self._common(recorded, BOARD)
        snapshot = TaskSnapshotV1(
            ref=self.ref, title=self.title, description="Mô tả nhiệm vụ.", target=self.target, deadline=self.deadline,
            cooperating_units=[], legal_basis=["Nghị quyết số 57-NQ/TW"], lifecycle=self.lifecycle,  # type: ignore[arg-type]
            achieved_value=self.achieved, last_report_as_of=self.last_as_of, completed_on=self.completed_on,
            registered_at=self.registered_at)
        return v1.TaskReassignedV1(**common, from_unit=from_unit, to_unit=to_unit, reason="Hợp nhất đơn vị",
                                   approval=APPROVAL, task=snapshot)


def message(event: v1.TaskEventV1, prefix: str = "camket", traceparent: str | None = None
            ) -> tuple[str, dict[str, str], bytes]:
    """The NATS message of an event as the publisher sends it (CloudEvents binary mode)."""
    event_type = str(type(event).model_fields["type"].default)
    envelope = CloudEvent(id=str(event.event_id), source=task_event_source(event.org), type=task_event_type(event_type),
                          time=event.recorded_at, subject=str(event.task_id), data=event.model_dump_json().encode(),
                          sequence=next(_sequence), dataschema=dataschema(event_type), traceparent=traceparent)
    return Subjects(event.org, prefix).task_event(event.unit, event_type), envelope.headers(), envelope.data


def days(n: int) -> timedelta:
    return timedelta(days=n)
