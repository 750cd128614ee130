"""What `camket audit verify-bundle` prints for a transparency-log bundle (Vietnamese first, then English)."""

from __future__ import annotations

import base64

from commitments.audit.domain.tlog.bundle_verify import TlogBundleReport
from shared.rules.evaluation import RULE, UnitTotals
from shared.vn import format_percent


def print_tlog_bundle(report: TlogBundleReport, required: int) -> str:
    scope = report.scope.document()
    complete = "" if report.scope.kind == "task" else " — đầy đủ / complete for its scope"
    root = base64.b64encode(report.head.root).decode()
    lines = [
        f"HỢP LỆ / VALID: {scope}{complete}",
        f"  nhật ký {report.head.origin}: {report.head.size} sự kiện, gốc {root}",
        f"  đồng ký / cosigned by {len(report.cosigned_by)} (cần / required {required}): "
        f"{', '.join(report.cosigned_by) or '-'}",
        f"  {len(report.events)} sự kiện / events of {report.tasks} nhiệm vụ / tasks",
    ]
    if report.forged:
        lines.append(f"  ! {len(report.forged)} sự kiện không có chữ ký hợp lệ / forged rows at {report.forged[:20]}")
    return "\n".join(lines)


def print_evaluation(recomputed: list[tuple[int, UnitTotals]], year: int, differences: list[str] | None) -> str:
    """The recomputed ranking, and how it compares with the dashboard's when one was given."""
    lines = [f"Đánh giá cuối năm {year}, tính lại từ nhật ký / year-end evaluation recomputed from the log:",
             "  hạng | đơn vị | giao | hoàn thành đúng hạn | tỷ lệ đúng hạn | vượt chỉ tiêu | tỷ lệ vượt"]
    lines += [f"  {rank} | {u.unit} | {u.assigned} | {u.completed_on_time} | {format_percent(u.on_time_share)} | "
              f"{u.exceeding_target} | {format_percent(u.exceeding_share)}" for rank, u in recomputed]
    lines.append(f"  Quy tắc / rule: {RULE}")
    if differences is not None:
        lines.append("  KHỚP với bảng điều khiển / EQUALS the dashboard" if not differences else
                     f"  KHÁC bảng điều khiển / DIFFERS from the dashboard in {len(differences)} figures:")
        lines += [f"    ≠ {d}" for d in differences]
    return "\n".join(lines)
