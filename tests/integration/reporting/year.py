"""A generated year of activity on the write side: tasks of several units, every kind of target and
deadline, and a seeded random walk of reports, completions, rejections, suspensions, cancellations,
revisions and reassignments through 2025 (the commands go through the batcher, as over HTTP)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from commitments.application import commands as c
from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Submission
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import parse_deadline
from commitments.domain.targets import milestone, parse_target, qualitative
from shared.auth.tokens import Principal
from shared.periods import PeriodKind, ReportingPeriod
from tests.unit.audit.conftest import MovableClock

UNITS = ("vp", "ql-cndmst", "ql-kh", "ql-tdc", "kh-tc", "tt-cgcn")
TARGETS = ("ít nhất 10 doanh nghiệp", "01 - 02 lớp", "100% TTHC", "05 doanh nghiệp", "milestone", "qualitative")
DEADLINES = ("6/2025", "Quý III/2025", "năm 2025", "", "15/04/2025", "từ năm 2025", "6 tháng đầu năm 2025",
             "Quý 1/2025", "10/2025")
OFFICE = Principal(user_id="office.vp", name="Văn phòng", unit="vp", roles=frozenset({"office"}))
BOARD = Principal(user_id="board.bgd", name="Ban Giám đốc", unit="bgd", roles=frozenset({"board"}))
APPROVAL = Approval.of("Trần Ngọc Lâm, Giám đốc Sở", "Số: 45/QĐ-SKHCN")


def staff(unit: str) -> Principal:
    return Principal(user_id=f"staff.{unit}", name="Cán bộ", unit=unit, roles=frozenset({"unit_staff"}))


@dataclass
class Tracked:
    task_id: UUID
    unit: str
    kind: str
    lifecycle: str = "active"
    value: float = 0.0


def generate(batcher: CommandBatcher, clock: MovableClock, seed: int, tasks: int = 36) -> list[UUID]:
    """Registers `tasks` tasks (most in January, some later) and walks them through 2025."""
    rnd = random.Random(seed)
    tracked: list[Tracked] = []
    day = date(2025, 1, 2)
    tracked += [_register(batcher, clock, rnd, day, n) for n in range(tasks * 2 // 3)]
    while day <= date(2025, 12, 31):
        if len(tracked) < tasks and rnd.random() < 0.06:
            tracked.append(_register(batcher, clock, rnd, day, len(tracked)))
        for t in tracked:
            if rnd.random() < 0.12:
                _step(batcher, clock, rnd, t, day)
        day += timedelta(days=rnd.choice((1, 2, 3)))
    return [t.task_id for t in tracked]


def _at(clock: MovableClock, rnd: random.Random, day: date) -> None:
    clock.now = datetime(day.year, day.month, day.day, rnd.randrange(1, 11), rnd.randrange(60), tzinfo=UTC)


def _run(batcher: CommandBatcher, command: c.Command, who: Principal) -> bool:
    sub = Submission.of(command, who)
    batcher.execute([sub])
    return sub.future.exception() is None


def _register(batcher: CommandBatcher, clock: MovableClock, rnd: random.Random, day: date, n: int) -> Tracked:
    _at(clock, rnd, day)
    kind = rnd.choice(TARGETS)
    target = milestone("Kế hoạch được ban hành") if kind == "milestone" else (
        qualitative() if kind == "qualitative" else parse_target(kind))
    unit = UNITS[n % len(UNITS)]
    command = c.RegisterTask(task_id=uuid4(), expected_version=None, org="qt-skhcn", program_year=2025,
                             ref=f"GEN-{n:02d}", unit=unit, title=f"Nhiệm vụ số {n}", description="", target=target,
                             deadline=parse_deadline(rnd.choice(DEADLINES)), cooperating_units=(), legal_basis=())
    assert _run(batcher, command, OFFICE)
    return Tracked(command.task_id, unit, target.kind.value)


def _step(batcher: CommandBatcher, clock: MovableClock, rnd: random.Random, t: Tracked, day: date) -> None:
    _at(clock, rnd, day)
    roll = rnd.random()
    command: c.Command
    who, after = BOARD, t.lifecycle
    if t.lifecycle == "active" and roll < 0.55:
        t.value = _next_value(rnd, t)
        as_of = day - timedelta(days=rnd.choice((0, 1, 5)))
        command = c.ReportProgress(task_id=t.task_id, expected_version=None, as_of=as_of,
                                   period=ReportingPeriod.containing(PeriodKind.MONTH, as_of),
                                   achieved_value=None if t.kind == "qualitative" else t.value,
                                   note="Báo cáo định kỳ (số liệu đã rà soát)", evidence=())
        who = staff(t.unit)
    elif t.lifecycle == "active" and roll < 0.62:
        command = c.RequestCompletion(task_id=t.task_id, expected_version=None,
                                      completed_on=day - timedelta(days=rnd.choice((0, 2, 9))), note="Xong",
                                      evidence=("Báo cáo",))
        who, after = staff(t.unit), "awaiting_confirmation"
    elif t.lifecycle == "active" and roll < 0.7:
        command = c.SuspendTask(task_id=t.task_id, expected_version=None, reason="Chờ kinh phí", approval=APPROVAL)
        after = "suspended"
    elif t.lifecycle == "active" and roll < 0.74:
        command = c.CancelTask(task_id=t.task_id, expected_version=None, reason="Không còn phù hợp",
                               approval=APPROVAL)
        after = "cancelled"
    elif t.lifecycle == "active" and roll < 0.9:
        command = c.ReviseTarget(task_id=t.task_id, expected_version=None, reason="Điều chỉnh", approval=APPROVAL,
                                 effective_on=day, new_target=None,
                                 new_deadline=parse_deadline(rnd.choice([d for d in DEADLINES if d])))
    elif t.lifecycle == "suspended" and roll < 0.6:
        command = c.ResumeTask(task_id=t.task_id, expected_version=None, note="Tiếp tục")
        after = "active"
    elif t.lifecycle in ("active", "suspended"):
        to_unit = rnd.choice([u for u in UNITS if u != t.unit])
        command = c.ReassignTask(task_id=t.task_id, expected_version=None, to_unit=to_unit, reason="Sắp xếp lại",
                                 approval=APPROVAL)
        who = OFFICE
        if _run(batcher, command, who):
            t.unit = to_unit
        return
    elif t.lifecycle == "awaiting_confirmation":
        confirm = roll < 0.7
        command = c.ConfirmCompletion(task_id=t.task_id, expected_version=None, note="Đạt") if confirm else (
            c.RejectCompletion(task_id=t.task_id, expected_version=None, reason="Thiếu minh chứng"))
        after = "completed" if confirm else "active"
    else:
        return
    if _run(batcher, command, who):
        t.lifecycle = after


def _next_value(rnd: random.Random, t: Tracked) -> float:
    if t.kind == "milestone":
        return float(rnd.random() < 0.3)
    step = rnd.choice((0.5, 1.0, 2.0, 4.0)) if t.kind != "percentage" else rnd.choice((5.0, 10.0, 20.0))
    top = 100.0 if t.kind == "percentage" else 14.0
    return min(t.value + step, top)
