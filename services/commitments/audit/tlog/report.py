"""What `camket audit verify-bundle` prints for a transparency-log bundle (Vietnamese first, then English)."""

from __future__ import annotations

import base64

from commitments.audit.tlog.bundle_verify import TlogBundleReport


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
