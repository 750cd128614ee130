"""Commands for load: tasks of several units and progress reports on them, through the group-commit
batcher (the same path as the HTTP API, without HTTP)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

from commitments.application import commands as c
from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Outcome, Submission
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import parse_deadline
from commitments.domain.targets import parse_target
from shared.auth.tokens import Principal
from shared.periods import ReportingPeriod

UNITS = ("vp", "ql-cndmst", "ql-kh", "ql-tdc", "kh-tc")
OFFICE = Principal(user_id="office.vp", name="Nguyễn Thị Văn Phòng", unit="vp", roles=frozenset({"office"}))


def staff(unit: str) -> Principal:
    return Principal(user_id=f"staff.{unit}", name="Trần Văn Cán Bộ", unit=unit, roles=frozenset({"unit_staff"}))


def register(number: int, org: str = "qt-skhcn") -> tuple[c.RegisterTask, Principal]:
    unit = UNITS[number % len(UNITS)]
    return c.RegisterTask(
        task_id=uuid4(), expected_version=None, org=org, program_year=2025, unit=unit,
        ref=f"LOAD-{number:05d}-{uuid4().hex[:6]}", title=f"Nhiệm vụ thử tải số {number}", description="",
        target=parse_target("ít nhất 10 doanh nghiệp"), deadline=parse_deadline("Quý III/2025"),
        cooperating_units=(), legal_basis=("Nghị quyết số 57-NQ/TW",),
    ), OFFICE


def report(task_id: UUID, unit: str, value: int) -> tuple[c.ReportProgress, Principal]:
    return c.ReportProgress(task_id=task_id, expected_version=None, as_of=date(2025, 1, 1) + timedelta(days=value),
                            period=ReportingPeriod.parse("2025-Q1"), achieved_value=value, note="", evidence=()
                            ), staff(unit)


def execute(batcher: CommandBatcher, commands: list[tuple[c.Command, Principal]]) -> list[Outcome]:
    """Runs the commands as one group-commit batch; fails if any was refused."""
    subs = [Submission.of(command, who) for command, who in commands]
    batcher.execute(subs)
    return [sub.future.result() for sub in subs]


def tasks(batcher: CommandBatcher, count: int, start: int = 0) -> list[tuple[UUID, str]]:
    outcomes = execute(batcher, [register(start + i) for i in range(count)])
    return [(UUID(o.body["task_id"]), UNITS[(start + i) % len(UNITS)]) for i, o in enumerate(outcomes)]


def reports(batcher: CommandBatcher, owned: list[tuple[UUID, str]], rounds: int, batch: int = 200,
            first: int = 1) -> int:
    """`rounds` progress reports on each task (values first, first + 1, ...), in batches; returns how many
    events were recorded."""
    pending = [report(task_id, unit, first + r) for r in range(rounds) for task_id, unit in owned]
    for i in range(0, len(pending), batch):
        execute(batcher, pending[i:i + batch])
    return len(pending)


BOARD = Principal(user_id="board.bgd", name="Lê Văn Giám Đốc", unit="bgd", roles=frozenset({"board"}))
APPROVAL = Approval.of("Trần Ngọc Lâm, Giám đốc Sở", "Số: 45/QĐ-SKHCN")


def every_kind(batcher: CommandBatcher, task_id: UUID, unit: str) -> None:
    """One event of every type on one task (registered before): the whole public vocabulary."""
    steps: list[tuple[c.Command, Principal]] = [
        (c.ReviseTarget(task_id=task_id, expected_version=None, reason="Điều chỉnh theo Kế hoạch của UBND tỉnh",
                        approval=APPROVAL, effective_on=date(2025, 3, 1), new_target=parse_target("5-10 công nghệ"),
                        new_deadline=parse_deadline("15h00 ngày 24/12/2025")), BOARD),
        (c.SuspendTask(task_id=task_id, expected_version=None, reason="Chờ kinh phí", approval=APPROVAL), BOARD),
        (c.ResumeTask(task_id=task_id, expected_version=None, note="Đã có kinh phí"), BOARD),
        report(task_id, unit, 7),
        (c.RequestCompletion(task_id=task_id, expected_version=None, completed_on=date(2025, 6, 30), note="Xong",
                             evidence=("Báo cáo số 12/BC",)), staff(unit)),
        (c.RejectCompletion(task_id=task_id, expected_version=None, reason="Thiếu minh chứng"), BOARD),
        (c.RequestCompletion(task_id=task_id, expected_version=None, completed_on=date(2025, 7, 2), note="Bổ sung",
                             evidence=("Báo cáo số 15/BC",)), staff(unit)),
        (c.ConfirmCompletion(task_id=task_id, expected_version=None, note="Đạt"), BOARD),
    ]
    for step in steps:
        execute(batcher, [step])


def reassign_and_cancel(batcher: CommandBatcher, task_id: UUID, to_unit: str) -> None:
    execute(batcher, [(c.ReassignTask(task_id=task_id, expected_version=None, to_unit=to_unit,
                                      reason="Sáp nhập Sở Thông tin và Truyền thông", approval=APPROVAL), OFFICE)])
    execute(batcher, [(c.CancelTask(task_id=task_id, expected_version=None, reason="Không còn phù hợp",
                                    approval=APPROVAL), BOARD)])
