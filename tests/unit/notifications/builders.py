"""Test data: a task's facts, and the public events of one task's story with consecutive versions
(`applied` and `fired` take them through the service's translator, as the consumer does)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

from notifications.domain.event_rules import event_firings
from notifications.domain.facts import TaskFacts, apply, program_start
from notifications.domain.rules import Firing
from notifications.integration.task_events import task_event
from shared.contracts import v1
from shared.contracts.common import ActorV1, ApprovalV1, DeadlineV1, PeriodV1, TargetV1, TaskSnapshotV1
from shared.vn import end_of_day

DUE = end_of_day(date(2025, 6, 30))  # "6/2025" ends 30/06/2025 23:59:59 in Vietnam = 16:59:59 UTC
START = program_start(2025)
REGISTERED = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
ACTOR = ActorV1(user_id="vp.nhung", name="Trần Thị Nhung", unit="vp", role="office")
APPROVAL = ApprovalV1(approved_by="Trần Ngọc Lâm, Giám đốc Sở", document="Số: 123/QĐ-SKHCN", signed_on=None)
TEN_FIRMS = TargetV1(kind="at_least", text="ít nhất 10 doanh nghiệp", measure="doanh nghiệp", minimum=10,
                     maximum=None, per=None)


def facts(**changes: Any) -> TaskFacts:
    base = TaskFacts(task_id=UUID(int=1), org="qt-skhcn", ref="QLCN-02", title="Hỗ trợ doanh nghiệp đổi mới công nghệ",
                     program_year=2025, unit="ql-cndmst", target_kind="at_least",
                     target_text="ít nhất 10 doanh nghiệp", target_minimum=10.0, measure="doanh nghiệp",
                     deadline_text="6/2025", due_at=DUE, starts_at=START, lifecycle="active",
                     registered_at=REGISTERED, version=1, updated_at=REGISTERED)
    return replace(base, **changes)


def deadline(due_at: datetime, text: str = "6/2025") -> DeadlineV1:
    return DeadlineV1(kind="month", text=text, starts_at=None, ends_at=due_at, recurring=False, due_at=due_at)


def target(minimum: float, text: str | None = None) -> TargetV1:
    return TEN_FIRMS.model_copy(update={"minimum": minimum, "text": text or f"ít nhất {minimum:g} doanh nghiệp"})


class Story:
    """One task's events, each the next version, recorded at the instants the test chooses."""

    def __init__(self, ref: str = "QLCN-02", unit: str = "ql-cndmst", due_at: datetime = DUE,
                 task_id: UUID | None = None, org: str = "qt-skhcn") -> None:
        self.task_id = task_id if task_id is not None else uuid5(UUID(int=7), f"{org}/{ref}")
        self.ref, self.unit, self.due_at, self.org = ref, unit, due_at, org
        self.target = TEN_FIRMS
        self._versions = itertools.count(1)

    def _common(self, at: datetime, effective_at: datetime | None = None) -> dict[str, Any]:
        return {"event_id": uuid4(), "org": self.org, "task_id": self.task_id, "task_ref": self.ref,
                "program_year": 2025, "unit": self.unit, "task_version": next(self._versions), "actor": ACTOR,
                "recorded_at": at, "effective_at": effective_at or at}

    def registered(self, at: datetime = REGISTERED, title: str = "Hỗ trợ doanh nghiệp đổi mới công nghệ",
                   target_: TargetV1 = TEN_FIRMS) -> v1.TaskRegisteredV1:
        self.target = target_
        return v1.TaskRegisteredV1(**self._common(at), title=title, description="", target=target_,
                                   deadline=deadline(self.due_at), cooperating_units=[], legal_basis=[])

    def reported(self, value: float | None, at: datetime, as_of: date | None = None) -> v1.ProgressReportedV1:
        day = as_of or at.date()
        period = PeriodV1(code=f"{day:%Y-%m}", kind="month", year=day.year, number=day.month,
                          label=f"Tháng {day.month}/{day.year}")
        return v1.ProgressReportedV1(**self._common(at, end_of_day(day)), achieved_value=value, previous_value=None,
                                     as_of=day, period=period, note="", evidence=[])

    def revised(self, at: datetime, new_minimum: float | None = None, new_due: datetime | None = None
                ) -> v1.TargetRevisedV1:
        new_target = target(new_minimum) if new_minimum is not None else self.target
        old_due, self.due_at = self.due_at, new_due or self.due_at
        event = v1.TargetRevisedV1(
            **self._common(at), old_target=self.target, new_target=new_target, old_deadline=deadline(old_due),
            new_deadline=deadline(self.due_at, f"{self.due_at:%m/%Y}"),
            target_lowered=(new_target.minimum or 0) < (self.target.minimum or 0),
            deadline_extended=self.due_at > old_due, reason="Điều chỉnh theo thực tế", approval=APPROVAL,
            effective_on=at.date())
        self.target = new_target
        return event

    def completion_requested(self, at: datetime, completed_on: date) -> v1.CompletionRequestedV1:
        return v1.CompletionRequestedV1(**self._common(at, end_of_day(completed_on)), completed_on=completed_on,
                                        note="", evidence=[])

    def confirmed(self, at: datetime, completed_on: date) -> v1.CompletionConfirmedV1:
        return v1.CompletionConfirmedV1(**self._common(at), completed_on=completed_on, on_time=True, note="")

    def rejected(self, at: datetime) -> v1.CompletionRejectedV1:
        return v1.CompletionRejectedV1(**self._common(at), reason="Thiếu minh chứng")

    def cancelled(self, at: datetime) -> v1.TaskCancelledV1:
        return v1.TaskCancelledV1(**self._common(at), reason="Không còn phù hợp", approval=APPROVAL)

    def suspended(self, at: datetime) -> v1.TaskSuspendedV1:
        return v1.TaskSuspendedV1(**self._common(at), reason="Chờ kinh phí", approval=APPROVAL)

    def resumed(self, at: datetime) -> v1.TaskResumedV1:
        return v1.TaskResumedV1(**self._common(at), note="")

    def reassigned(self, at: datetime, to_unit: str) -> v1.TaskReassignedV1:
        from_unit, self.unit = self.unit, to_unit
        snapshot = TaskSnapshotV1(ref=self.ref, title="Hỗ trợ doanh nghiệp đổi mới công nghệ", description="",
                                  target=self.target, deadline=deadline(self.due_at), cooperating_units=[],
                                  legal_basis=[], lifecycle="active", achieved_value=None, last_report_as_of=None,
                                  completed_on=None, registered_at=REGISTERED)
        return v1.TaskReassignedV1(**self._common(at), from_unit=from_unit, to_unit=to_unit,
                                   reason="Hợp nhất đơn vị", approval=APPROVAL, task=snapshot)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def applied(f: TaskFacts | None, event: v1.TaskEventV1) -> TaskFacts | None:
    return apply(f, task_event(event))


def fired(event: v1.TaskEventV1) -> list[Firing]:
    return event_firings(task_event(event))
