"""The simulated year: for each task of the program a seeded profile (on time, late, rejected
once, behind pace, stalled) becomes dated steps — monthly reports (some late), completion requests
with evidence, the Board's confirmations and rejections, revisions and the unit merger. Steps run
in time order, each a real command, so the rules of the domain judge every one of them."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from uuid import UUID

from commitments.application import commands as c
from commitments.application.unit_merger import merger_id
from commitments.demo.cast import BOARD, OFFICE, decision, head, staff
from commitments.domain.deadlines import parse_deadline
from commitments.domain.evidence import EvidenceFile
from commitments.domain.targets import Target, TargetKind
from shared.auth.tokens import Principal
from shared.periods import PeriodKind, ReportingPeriod
from shared.vn import local_date, local_instant

PROFILES = (("on_time", 0.35), ("late", 0.2), ("rejected", 0.1), ("behind", 0.2), ("stalled", 0.15))
MERGED_UNIT, INTO_UNIT, MERGER_DAY = "kh-tc", "vp", date(2025, 3, 3)
MERGER_REASON = ("Hợp nhất Sở Khoa học và Công nghệ với Sở Thông tin và Truyền thông: Phòng Kế hoạch - Tài chính "
                 "sáp nhập vào Văn phòng")


class Desk(Protocol):
    """Where a step's command goes (the command batcher) and where its evidence is stored."""

    def run(self, command: c.Command, who: Principal) -> bool: ...

    def today(self) -> date: ...

    @property
    def org(self) -> str: ...

    def evidence(self, name: str, text: str) -> EvidenceFile: ...


@dataclass
class Play:
    ref: str
    task_id: UUID
    unit: str  # changes when its unit merges into another
    target: Target
    due: date
    profile: str
    value: float = 0.0


@dataclass(frozen=True)
class Step:
    at: datetime
    act: Callable[[Desk], bool]


def plan(rnd: random.Random, plays: list[Play], today: date) -> list[Step]:
    steps = [Step(_at(rnd, MERGER_DAY), _merger(plays))]
    for play in plays:
        steps += _task_steps(rnd, play, today)
    behind = [p for p in plays if p.profile == "behind"]  # their deadlines are moved: revised or proposed
    for number, play in enumerate(behind[:4], start=12):
        steps.append(Step(_at(rnd, date(2025, rnd.randrange(6, 10), rnd.randrange(1, 28))), _revise(play, number)))
    for number, play in enumerate(behind[4:7], start=27):
        proposal = UUID(int=rnd.getrandbits(128), version=4)
        asked = _at(rnd, date(2025, 5, rnd.randrange(5, 25)))
        steps.append(Step(asked, _propose(play, proposal)))
        steps.append(Step(asked + timedelta(days=rnd.randrange(3, 9)), _decide(play, proposal, number)))
    return sorted((s for s in steps if local_date(s.at) <= today), key=lambda s: s.at)


def cast_profiles(rnd: random.Random, plays: list[Play]) -> None:
    """A seeded profile for each task. Only the few tasks due before November can be finished late
    by December: one of them always is, one is always on time and one is rejected once, so every
    seed shows each."""
    for play in plays:
        play.profile = rnd.choices([p for p, _ in PROFILES], [w for _, w in PROFILES])[0]
    early = sorted((p for p in plays if p.due < date(2025, 11, 1)), key=lambda p: p.ref)
    rnd.shuffle(early)
    for play, profile in zip(early, ("late", "on_time", "rejected"), strict=False):
        play.profile = profile


def _task_steps(rnd: random.Random, play: Play, today: date) -> list[Step]:
    finish = _finish_day(rnd, play)
    last_month = (finish or today).month - 1 if (finish or today).year == 2025 else 12
    days = {month: _report_day(rnd, play, month) for month in range(1, last_month + 1)
            if not (play.profile == "stalled" and 5 <= month <= 9)}
    # A late monthly report due after the completion request is not written: the request says it all.
    steps = [Step(_at(rnd, day), _report(play, month, last_month)) for month, day in days.items()
             if finish is None or day < finish]
    if finish is not None and finish < today:
        steps.append(Step(_at(rnd, finish), _request(play, finish)))
        decided = finish + timedelta(days=rnd.randrange(2, 7))
        if play.profile == "rejected":
            steps.append(Step(_at(rnd, decided), _reject(play)))
            again = decided + timedelta(days=rnd.randrange(7, 15))
            steps.append(Step(_at(rnd, again), _request(play, again)))
            decided = again + timedelta(days=rnd.randrange(2, 6))
        steps.append(Step(_at(rnd, decided), _confirm(play)))
    return steps


def _finish_day(rnd: random.Random, play: Play) -> date | None:
    if play.profile == "on_time":
        return max(play.due - timedelta(days=rnd.randrange(3, 30)), date(2025, 2, 10))
    if play.profile == "rejected":  # asked for before the deadline; the second request may come after it
        return min(play.due, date(2025, 11, 15)) - timedelta(days=rnd.randrange(0, 30))
    if play.profile == "late":
        return play.due + timedelta(days=rnd.randrange(7, 45))
    return None


def _report_day(rnd: random.Random, play: Play, month: int) -> date:
    first = date(2025 + month // 12, month % 12 + 1, 1)
    late = play.profile == "stalled" or rnd.random() < 0.15  # the monthly report is due by the 5th
    return first + timedelta(days=rnd.randrange(11, 20) if late else rnd.randrange(0, 5))


def _at(rnd: random.Random, day: date) -> datetime:
    return local_instant(day, time(rnd.randrange(8, 17), rnd.randrange(60))).astimezone(UTC)


def _pace(play: Play, month: int, months: int) -> float:
    share = min(1.0, month / max(months, 1))
    return share * (0.5 if play.profile in ("behind", "stalled") else 1.0)


def _report(play: Play, month: int, months: int) -> Callable[[Desk], bool]:
    def act(desk: Desk) -> bool:
        period = ReportingPeriod(year=2025, kind=PeriodKind.MONTH, number=month)
        value, note = _value(play, _pace(play, month, months)), f"Báo cáo tiến độ tháng {month:02d}/2025"
        files = (desk.evidence(f"Báo cáo tháng {month:02d}-2025 {play.ref}.pdf", f"Bao cao {play.ref} {month}/2025"),
                 ) if month % 3 == 0 else ()
        command = c.ReportProgress(task_id=play.task_id, expected_version=None, as_of=period.last_day,
                                   period=period, achieved_value=value, note=note, evidence=(),
                                   evidence_files=files)
        return desk.run(command, staff(play.unit))
    return act


def _value(play: Play, share: float) -> float | None:
    kind, top = play.target.kind, play.target.minimum or 1.0
    if kind is TargetKind.QUALITATIVE:
        return None
    if kind is TargetKind.MILESTONE:
        return 0.0
    play.value = max(play.value, float(int(top * share)))  # whole units; never below the last report
    return play.value


def _request(play: Play, day: date) -> Callable[[Desk], bool]:
    def act(desk: Desk) -> bool:
        proof = desk.evidence(f"Báo cáo hoàn thành {play.ref}.pdf", f"Bao cao hoan thanh {play.ref}")
        command = c.RequestCompletion(task_id=play.task_id, expected_version=None, completed_on=day,
                                      note="Đã hoàn thành, gửi kèm báo cáo kết quả", evidence=(),
                                      evidence_files=(proof,))
        return desk.run(command, staff(play.unit))
    return act


def _confirm(play: Play) -> Callable[[Desk], bool]:
    return lambda desk: desk.run(c.ConfirmCompletion(task_id=play.task_id, expected_version=None,
                                                             note="Ban Giám đốc xác nhận hoàn thành"), BOARD)


def _reject(play: Play) -> Callable[[Desk], bool]:
    reason = "Minh chứng chưa đủ: bổ sung biên bản nghiệm thu"
    return lambda desk: desk.run(c.RejectCompletion(task_id=play.task_id, expected_version=None,
                                                            reason=reason), BOARD)


def _revise(play: Play, number: int) -> Callable[[Desk], bool]:
    def act(desk: Desk) -> bool:
        command = c.ReviseTarget(task_id=play.task_id, expected_version=None, approval=decision(number),
                                 reason="Điều chỉnh thời hạn theo tiến độ thực tế", effective_on=desk.today(),
                                 new_target=None, new_deadline=parse_deadline("30/11/2025"))
        return desk.run(command, BOARD)
    return act


def _propose(play: Play, proposal: UUID) -> Callable[[Desk], bool]:
    return lambda desk: desk.run(c.ProposeRevision(
        task_id=play.task_id, expected_version=None, proposal_id=proposal, new_target=None,
        reason="Đề nghị lùi thời hạn do chờ bố trí kinh phí", new_deadline=parse_deadline("Quý IV/2025")),
        head(play.unit))


def _decide(play: Play, proposal: UUID, number: int) -> Callable[[Desk], bool]:
    def act(desk: Desk) -> bool:
        if number % 3 == 2:  # one of the three is declined
            return desk.run(c.DeclineProposal(task_id=play.task_id, expected_version=None,
                                                      proposal_id=proposal, reason="Giữ nguyên thời hạn"), BOARD)
        return desk.run(c.ApproveProposal(task_id=play.task_id, expected_version=None, proposal_id=proposal,
                                                  approval=decision(number), effective_on=desk.today()), BOARD)
    return act


def _merger(plays: list[Play]) -> Callable[[Desk], bool]:
    def act(desk: Desk) -> bool:
        command = c.ReassignUnit(task_id=merger_id(desk.org, MERGED_UNIT), expected_version=None,
                                 org=desk.org, unit=MERGED_UNIT, to_unit=INTO_UNIT, reason=MERGER_REASON,
                                 approval=decision(9), program_year=2025)
        if not desk.run(command, OFFICE):
            return False
        for play in plays:
            if play.unit == MERGED_UNIT:
                play.unit = INTO_UNIT
        return True
    return act
