"""One task's story told once, seen by every service: the write side's aggregate (which the audit
reads), the public events it publishes, and what reporting and notifications fold from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import reduce
from typing import Any
from uuid import uuid4

from commitments.application import commands as c
from commitments.application.handlers import handle
from commitments.domain.actor import Actor, Role
from commitments.domain.approvals import Approval
from commitments.domain.clock import recording_clock
from commitments.domain.deadlines import parse_deadline
from commitments.domain.targets import Target, milestone, parse_target, qualitative
from commitments.domain.task import Task
from commitments.integration.translator import translate
from notifications.domain.facts import TaskFacts, apply
from notifications.integration.task_events import task_event
from reporting.domain.task_state import TaskState, evolve
from reporting.integration import contract_v1
from shared.contracts import v1
from shared.periods import PeriodKind, ReportingPeriod

ACTOR = Actor(user_id="test", name="Người thử", unit="bgd", role=Role.BOARD)
APPROVAL = Approval.of("Trần Ngọc Lâm, Giám đốc Sở", "Số: 45/QĐ-SKHCN")
REGISTERED = datetime(2025, 1, 2, 2, tzinfo=UTC)


def target(text: str) -> Target:
    if text == "milestone":
        return milestone("Kế hoạch được ban hành")
    return qualitative() if text == "qualitative" else parse_target(text)


@dataclass
class Story:
    """A task registered on 02/01/2025 with `target` and `deadline`, then the commands of `steps`."""

    target: str = "ít nhất 10 doanh nghiệp"
    deadline: str = "năm 2025"
    steps: list[tuple[datetime, c.Command]] = field(default_factory=list)
    task_id: Any = field(default_factory=uuid4)

    def report(self, when: datetime, value: float | None) -> Story:
        day = when.date()
        self.steps.append((when, c.ReportProgress(
            task_id=self.task_id, expected_version=None, as_of=day,
            period=ReportingPeriod.containing(PeriodKind.MONTH, day), achieved_value=value,
            note="Báo cáo định kỳ", evidence=())))
        return self

    def then(self, when: datetime, kind: type[c.Command], **values: Any) -> Story:
        defaults: dict[str, Any] = {"reason": "Theo chỉ đạo", "approval": APPROVAL, "note": "Ghi chú",
                                    "evidence": ()}
        names = kind.__dataclass_fields__
        args = {k: v for k, v in (defaults | values).items() if k in names}
        self.steps.append((when, kind(task_id=self.task_id, expected_version=None, **args)))
        return self

    def told(self) -> tuple[Task, list[v1.TaskEventV1]]:
        published: list[v1.TaskEventV1] = []
        register = c.RegisterTask(task_id=self.task_id, expected_version=None, org="qt-skhcn", program_year=2025,
                                  ref="GOLD-01", unit="ql-kh", title="Nhiệm vụ mẫu", description="",
                                  target=target(self.target), deadline=parse_deadline(self.deadline),
                                  cooperating_units=(), legal_basis=())
        task: Task | None = None
        for when, command in [(REGISTERED, register), *self.steps]:
            with recording_clock(lambda at=when: at):
                task = handle(command, task, ACTOR)
                published += [translate(e, task) for e in task.collect_events()]
        assert task is not None
        return task, published

    def reporting(self) -> TaskState:
        state = reduce(lambda s, e: evolve(s, contract_v1.translate(e)), self.told()[1], None)
        assert state is not None
        return state

    def notifications(self) -> TaskFacts:
        facts = reduce(lambda f, e: apply(f, task_event(e)), self.told()[1], None)  # as its consumer reads them
        assert facts is not None
        return facts

    def commitments(self) -> Task:
        return self.told()[0]


def utc(y: int, m: int, d: int, h: int = 5) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def on(y: int, m: int, d: int) -> date:
    return date(y, m, d)
