"""Commands with sensible defaults, so each test states only what matters to it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from commitments.application import commands as c
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import parse_deadline
from commitments.domain.targets import parse_target
from shared.periods import ReportingPeriod

APPROVAL = Approval.of("Trần Ngọc Lâm, Giám đốc Sở", "Số: 45/QĐ-SKHCN")


def register(task_id: UUID | None = None, **overrides: Any) -> c.RegisterTask:
    values: dict[str, Any] = dict(
        task_id=task_id or uuid4(), expected_version=None, org="qt-skhcn", program_year=2025,
        ref="QL-CNDMST-03", unit="ql-cndmst", title="Hỗ trợ ứng dụng chuyển đổi số ít nhất 10 doanh nghiệp",
        description="", target=parse_target("ít nhất 10 doanh nghiệp"), deadline=parse_deadline("6/2025"),
        cooperating_units=("tt-cgcn",), legal_basis=("Nghị quyết số 57-NQ/TW",))
    values.update(overrides)
    return c.RegisterTask(**values)


def report(task_id: UUID, value: float | None = 4, *, version: int | None = None, as_of: date = date(2025, 2, 28),
           period: str = "2025-Q1", note: str = "", evidence: tuple[str, ...] = ()) -> c.ReportProgress:
    return c.ReportProgress(task_id=task_id, expected_version=version, as_of=as_of,
                            period=ReportingPeriod.parse(period), achieved_value=value, note=note, evidence=evidence)


def revise(task_id: UUID, *, target: str | None = None, deadline: str | None = None, version: int | None = None,
           reason: str = "Điều chỉnh theo Kế hoạch của UBND tỉnh", effective_on: date = date(2025, 3, 1)
           ) -> c.ReviseTarget:
    return c.ReviseTarget(task_id=task_id, expected_version=version, reason=reason, approval=APPROVAL,
                          effective_on=effective_on, new_target=parse_target(target) if target else None,
                          new_deadline=parse_deadline(deadline) if deadline else None)
