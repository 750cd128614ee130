"""Table views of what happened: a task's history and progress reports, target revisions, the changes
of a briefing window, the activity counters of a period."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from reporting.application.report_views import ActivityView, ChangeEntry, UnitActivity
from reporting.application.views import ChartPoint, HistoryEntry, RevisionView
from reporting.exports.labels import role
from reporting.exports.tables import Column, Kind, Row, Table
from shared.vn import format_date

Link = Callable[[str], str]
UnitName = Callable[[str], str]


def approval_text(approval: dict[str, Any] | None) -> str:
    if not approval:
        return ""
    signed = approval.get("signed_on")
    signed_text = f", ký ngày {format_date(date.fromisoformat(signed))}" if signed else ""
    return f"{approval.get('approved_by', '')} — {approval.get('document', '')}{signed_text}"


def describe(entry: HistoryEntry, unit_name: UnitName) -> str:
    """What the event changed, in a sentence or two, beside its note or reason."""
    d = entry.details
    parts: list[str] = []
    match entry.event_type:
        case "TaskRegistered":
            parts = [f"Chỉ tiêu: {d.get('target', '')}", f"Thời hạn: {d.get('deadline', '')}"]
        case "TargetRevised":
            parts = [_change("Chỉ tiêu", d.get("old_target"), d.get("new_target")),
                     _change("Thời hạn", d.get("old_deadline"), d.get("new_deadline")),
                     f"Hiệu lực từ {format_date(date.fromisoformat(d['effective_on']))}" if d.get("effective_on")
                     else ""]
        case "ProgressReported":
            parts = [f"Kỳ báo cáo: {d.get('period', '')}", "Minh chứng: " + ", ".join(_evidence(d))]
        case "RevisionProposed":
            parts = [f"Chỉ tiêu đề xuất: {d.get('new_target') or ''}",
                     f"Thời hạn đề xuất: {d.get('new_deadline') or ''}", "Minh chứng: " + ", ".join(_evidence(d))]
        case "CompletionRequested" | "CompletionConfirmed":
            parts = [f"Ngày hoàn thành: {format_date(date.fromisoformat(d['completed_on']))}"
                     if d.get("completed_on") else ""]
        case "TaskReassigned":
            parts = [f"Từ {unit_name(d.get('from_unit', ''))} sang {unit_name(d.get('to_unit', ''))}"]
    return "; ".join(p for p in [entry.note, *parts] if p and not p.endswith(": "))


def _evidence(d: dict[str, Any]) -> list[str]:
    """The references as written, then the files by name (their hashes are in the evidence table)."""
    files = [str(f.get("name", "")) for f in d.get("evidence_files") or [] if isinstance(f, dict)]
    return [str(e) for e in d.get("evidence") or []] + files


def _change(name: str, old: str | None, new: str | None) -> str:
    if old == new:
        return ""
    return f"{name}: {old or '(không ghi)'} → {new or '(không ghi)'}"


def history_table(history: Sequence[HistoryEntry], unit_name: UnitName) -> Table:
    columns = (Column("Lần", Kind.INT, 6), Column("Thời điểm ghi nhận", Kind.DATETIME, 17),
               Column("Thay đổi", width=26), Column("Người thực hiện", width=24), Column("Vai trò", width=18),
               Column("Nội dung, lý do", width=60), Column("Phê duyệt", width=40),
               Column("Kết quả đạt được", Kind.NUMBER, 12), Column("Tỷ lệ so với chỉ tiêu", Kind.PERCENT, 12))
    rows = [Row((h.version, h.recorded_at, h.event_label, h.actor_name, role(h.actor_role), describe(h, unit_name),
                 approval_text(h.details.get("approval")), h.achieved_value, h.percent_of_target))
            for h in history]
    return Table(key="history", title="Lịch sử thay đổi", columns=columns, rows=rows, empty="Chưa có thay đổi.")


def progress_table(points: Sequence[ChartPoint]) -> Table:
    columns = (Column("Số liệu đến ngày", Kind.DATE, 14), Column("Kết quả đạt được", Kind.NUMBER, 14),
               Column("Tỷ lệ so với chỉ tiêu", Kind.PERCENT, 14), Column("Thời điểm báo cáo", Kind.DATETIME, 17))
    rows = [Row((p.as_of, p.achieved_value, p.percent_of_target, p.recorded_at)) for p in points]
    return Table(key="progress", title="Diễn biến tiến độ", columns=columns, rows=rows,
                 empty="Chưa có báo cáo tiến độ.")


def revisions_table(revisions: Sequence[RevisionView], *, title: str = "Điều chỉnh chỉ tiêu, thời hạn",
                    notes: tuple[str, ...] = (), link: Link | None = None) -> Table:
    columns = (Column("Mã", width=14), Column("Đơn vị", width=26), Column("Ngày hiệu lực", Kind.DATE, 13),
               Column("Chỉ tiêu cũ", width=28), Column("Chỉ tiêu mới", width=28), Column("Thời hạn cũ", width=14),
               Column("Thời hạn mới", width=14), Column("Giảm chỉ tiêu", width=9), Column("Gia hạn", width=9),
               Column("Lý do", width=40), Column("Người phê duyệt", width=22), Column("Văn bản", width=22),
               Column("Ngày ký", Kind.DATE, 12), Column("Người ghi nhận", width=22),
               Column("Thời điểm ghi nhận", Kind.DATETIME, 17))
    rows = [Row((r.ref, r.unit_name, r.effective_on, r.old_target, r.new_target, r.old_deadline, r.new_deadline,
                 "Có" if r.target_lowered else "", "Có" if r.deadline_extended else "", r.reason, r.approved_by,
                 r.document, r.signed_on, r.actor_name, r.recorded_at), href=link(str(r.task_id)) if link else None)
            for r in revisions]
    return Table(key="revisions", title=title, columns=columns, rows=rows, notes=notes,
                 empty="Không có điều chỉnh nào.")


def changes_table(changes: Sequence[ChangeEntry], unit_name: UnitName, *, link: Link | None = None) -> Table:
    columns = (Column("Thời điểm ghi nhận", Kind.DATETIME, 17), Column("Mã", width=14),
               Column("Nhiệm vụ", width=50), Column("Đơn vị", width=26), Column("Thay đổi", width=26),
               Column("Người thực hiện", width=24), Column("Nội dung, lý do", width=50))
    rows = [Row((c.recorded_at, c.ref, c.title, c.unit_name, c.event_label, c.actor_name, describe(c, unit_name)),
                href=link(str(c.task_id)) if link else None) for c in changes]
    return Table(key="changes", title="Những thay đổi trong kỳ", columns=columns, rows=rows,
                 empty="Không có thay đổi nào trong kỳ.", link_column=2)


ACTIVITY_COLUMNS = (("progress_reports", "Báo cáo tiến độ"), ("completion_requests", "Đề nghị xác nhận"),
                    ("completions", "Được xác nhận hoàn thành"), ("completed_on_time", "Hoàn thành đúng hạn"),
                    ("completed_late", "Hoàn thành quá hạn"), ("rejections", "Không xác nhận"),
                    ("revisions", "Điều chỉnh"), ("targets_lowered", "Giảm chỉ tiêu"),
                    ("deadlines_extended", "Gia hạn"), ("cancellations", "Hủy"), ("suspensions", "Tạm hoãn"),
                    ("reassignments_in", "Nhận chuyển giao"))


def activity_table(by_unit: Sequence[UnitActivity], total: ActivityView) -> Table:
    columns = (Column("Đơn vị", width=40), *(Column(label, Kind.INT, 11) for _, label in ACTIVITY_COLUMNS))

    def values(activity: ActivityView) -> tuple[int, ...]:
        return tuple(getattr(activity, name) for name, _ in ACTIVITY_COLUMNS)

    rows = [Row((u.unit_name, *values(u.activity))) for u in by_unit]
    return Table(key="activity", title="Hoạt động trong kỳ", columns=columns, rows=rows,
                 footer=("Toàn Sở", *values(total)), empty="Không có hoạt động nào trong kỳ.")
