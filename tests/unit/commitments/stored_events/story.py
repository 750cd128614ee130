"""The story whose stored events are kept as fixtures: every event type, every kind of target,
deadline and reporting period, every acting role, one snapshot. Deterministic ids and times, so a
new recording (`record.py`) differs from an old one only where the stored format changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from commitments.application import commands as c
from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Submission
from commitments.application.service import CommitmentsApp
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import parse_deadline
from commitments.domain.evidence import EvidenceFile
from commitments.domain.targets import milestone, parse_target, qualitative
from shared.auth.tokens import Principal
from shared.periods import ReportingPeriod

OFFICE = Principal(user_id="office.vp", name="Trần Thị Nhung", unit="vp", roles=frozenset({"office"}))
BOARD = Principal(user_id="board.bgd", name="Trần Ngọc Lâm", unit="bgd", roles=frozenset({"board"}))
APPROVAL = Approval.of("Trần Ngọc Lâm, Giám đốc Sở", "Số: 45/QĐ-SKHCN")
PDF = EvidenceFile(name="Biên bản nghiệm thu.pdf", media_type="application/pdf", size=1234, sha256="ab" * 32)
PROPOSAL_IDS = (UUID("11111111-2222-4333-8444-555555555555"), UUID("66666666-7777-4888-8999-aaaaaaaaaaaa"))


def staff(unit: str, role: str = "unit_staff") -> Principal:
    return Principal(user_id=f"{role}.{unit}", name="Nguyễn Văn Cán Bộ", unit=unit, roles=frozenset({role}))


def task_id(ref: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"urn:camket:fixture:{ref}")


def registration(ref: str, unit: str, target: str, deadline: str) -> c.RegisterTask:
    made = milestone("Kế hoạch được ban hành") if target == "milestone" else (
        qualitative("Nâng cao chất lượng") if target == "qualitative" else parse_target(target))
    return c.RegisterTask(task_id=task_id(ref), expected_version=None, org="qt-skhcn", program_year=2025, ref=ref,
                          unit=unit, title=f"Nhiệm vụ {ref} “đổi mới sáng tạo”", description="Mô tả: KH,CN,ĐMST",
                          target=made, deadline=parse_deadline(deadline), cooperating_units=("tt-cgcn",),
                          legal_basis=("Nghị quyết số 57-NQ/TW",))


def report(ref: str, value: float | None, period: str, as_of: date, unit: str = "ql-kh") -> tuple[c.Command, Principal]:
    return c.ReportProgress(task_id=task_id(ref), expected_version=None, as_of=as_of,
                            period=ReportingPeriod.parse(period), achieved_value=value, note="Báo cáo định kỳ",
                            evidence=("Báo cáo số 12/BC-QLKH",)), staff(unit)


def steps() -> list[tuple[c.Command, Principal]]:
    one, two = task_id("FIX-01"), task_id("FIX-02")
    return [
        (registration("FIX-01", "ql-kh", "ít nhất 10 doanh nghiệp", "6/2025"), OFFICE),
        (registration("FIX-02", "ql-kh", "01 - 02 lớp", "Quý III/2025"), OFFICE),
        (registration("FIX-03", "ql-kh", "4 – 5 cuộc/năm", "từ năm 2025"), OFFICE),
        (registration("FIX-04", "ql-kh", "100% TTHC được giải quyết", "năm 2025"), OFFICE),
        (registration("FIX-05", "ql-kh", "milestone", "30/6/2025"), OFFICE),
        (registration("FIX-06", "ql-kh", "qualitative", ""), OFFICE),
        (registration("FIX-07", "ql-kh", "03 doanh nghiệp KH&CN", "2026 - 2030"), OFFICE),
        (registration("FIX-08", "ql-kh", "ít nhất 2 hội thảo", "6 tháng đầu năm 2025"), OFFICE),
        report("FIX-01", 4, "2025-02", date(2025, 2, 28)),
        (c.ReviseTarget(task_id=one, expected_version=None, reason="Điều chỉnh theo Kế hoạch của UBND tỉnh",
                        approval=APPROVAL, effective_on=date(2025, 3, 1), new_target=parse_target("5-10 công nghệ"),
                        new_deadline=parse_deadline("15h00 ngày 24/12/2025")), BOARD),
        (c.SuspendTask(task_id=one, expected_version=None, reason="Chờ kinh phí", approval=APPROVAL), BOARD),
        (c.ResumeTask(task_id=one, expected_version=None, note="Đã có kinh phí"), BOARD),
        report("FIX-01", 7, "2025-Q1", date(2025, 3, 31)),
        (c.RequestCompletion(task_id=one, expected_version=None, completed_on=date(2025, 4, 1), note="Xong",
                             evidence=("Báo cáo số 15/BC",)), staff("ql-kh", "unit_head")),
        (c.RejectCompletion(task_id=one, expected_version=None, reason="Thiếu minh chứng"), BOARD),
        (c.RequestCompletion(task_id=one, expected_version=None, completed_on=date(2025, 4, 2), note="Bổ sung",
                             evidence=()), staff("ql-kh", "unit_head")),
        (c.ConfirmCompletion(task_id=one, expected_version=None, note="Đạt"), BOARD),
        report("FIX-02", 1, "2025-H1", date(2025, 4, 2)),
        (c.ReassignTask(task_id=two, expected_version=None, to_unit="vp", reason="Sáp nhập", approval=APPROVAL),
         OFFICE),
        (c.CancelTask(task_id=two, expected_version=None, reason="Không còn phù hợp", approval=APPROVAL), BOARD),
        report("FIX-03", 2, "2025-9M", date(2025, 4, 2)),
        (c.ReviseTarget(task_id=task_id("FIX-03"), expected_version=None, reason="Lùi hạn", approval=APPROVAL,
                        effective_on=date(2025, 4, 2), new_target=None,
                        new_deadline=parse_deadline("6 tháng cuối năm 2025")), BOARD),
        report("FIX-04", 60.5, "2025", date(2025, 4, 2)),
        report("FIX-05", 1, "2025-04", date(2025, 4, 2)),
        (c.ReassignTask(task_id=task_id("FIX-05"), expected_version=None, to_unit="ql-tdc", reason="Sắp xếp lại",
                        approval=None), OFFICE),
        report("FIX-06", None, "2025-Q2", date(2025, 4, 2)),
        *workspace_steps(),
    ]


def workspace_steps() -> list[tuple[c.Command, Principal]]:
    """Added with the workspace (events-2026-12-workspace.json): evidence files, revision proposals."""
    seven, eight = task_id("FIX-07"), task_id("FIX-08")
    head = staff("ql-kh", "unit_head")
    return [
        (c.ReportProgress(task_id=seven, expected_version=None, as_of=date(2025, 4, 2),
                          period=ReportingPeriod.parse("2025-03"), achieved_value=1, note="Có biên bản",
                          evidence=(), evidence_files=(PDF,)), staff("ql-kh")),
        (c.ProposeRevision(task_id=seven, expected_version=None, proposal_id=PROPOSAL_IDS[0], reason="Thiếu vốn",
                           new_target=parse_target("ít nhất 2 doanh nghiệp"), new_deadline=None,
                           evidence_files=(PDF,)), head),
        (c.ApproveProposal(task_id=seven, expected_version=None, proposal_id=PROPOSAL_IDS[0], approval=APPROVAL,
                           effective_on=date(2025, 4, 2)), BOARD),
        (c.ProposeRevision(task_id=eight, expected_version=None, proposal_id=PROPOSAL_IDS[1], reason="Lùi hạn",
                           new_target=None, new_deadline=parse_deadline("Quý IV/2025")), head),
        (c.DeclineProposal(task_id=eight, expected_version=None, proposal_id=PROPOSAL_IDS[1],
                           reason="Không đủ căn cứ"), BOARD),
        (c.RequestCompletion(task_id=eight, expected_version=None, completed_on=date(2025, 4, 2), note="Xong",
                             evidence=(), evidence_files=(PDF,)), head),
    ]


def tell(app: CommitmentsApp) -> None:
    """Runs the story on `app`, one command an hour from 02/06/2025, and snapshots FIX-01."""
    now = [datetime(2025, 1, 2, 2, tzinfo=UTC)]
    clock: Callable[[], datetime] = lambda: now[0]  # noqa: E731
    batcher = CommandBatcher(app, clock=clock)
    for i, (command, who) in enumerate(steps()):
        now[0] = datetime(2025, 6, 2, 2, tzinfo=UTC) + timedelta(hours=i)
        sub = Submission.of(command, who)
        batcher.execute([sub])
        sub.future.result()
    app.take_snapshot(task_id("FIX-01"))
    app.take_snapshot(task_id("FIX-08"))  # awaiting confirmation: its snapshot holds the completion request
