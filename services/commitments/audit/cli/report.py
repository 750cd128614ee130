"""The verification report and the bundle verdict as text for a terminal (an inspector reads them)."""

from __future__ import annotations

from commitments.audit.domain.bundle_verify import BundleReport
from commitments.audit.domain.findings import Finding, Report
from shared.vn import format_datetime


def print_report(report: Report) -> str:
    verdict = "TOÀN VẸN / INTACT" if report.ok else "PHÁT HIỆN THAY ĐỔI / TAMPERING FOUND" if report.tampered \
        else "CHƯA KIỂM CHỨNG ĐƯỢC / NOT VERIFIED"
    lines = [verdict,
             f"events in the log: {report.log_size}; sealed: {report.sealed}; checkpoints compared: "
             f"{report.checkpoints} (latest covers {report.latest_checkpoint or 0}); signatures checked here: "
             f"{report.signatures_checked}; snapshots checked: {report.snapshots_checked}",
             *(f"witnesses: {w}" for w in report.witnesses)]
    first, mismatch = report.first_change, report.first_checkpoint_mismatch
    if first is not None:
        lines.append(f"FIRST CHANGE: {first.kind} at position {first.position} "
                     f"(notification id {first.notification_id}): {first.detail}")
    if mismatch is not None:
        lines.append(f"CHECKPOINT MISMATCH: {mismatch.detail}")
    lines += [f"  - {f.kind} ({_label(f)}): {_where(f)}: {f.detail}" for f in report.findings]
    return "\n".join(lines)


def _label(f: Finding) -> str:
    return str(f.as_dict()["label"])


def _where(f: Finding) -> str:
    if f.position is None and f.task_id is not None:
        return f"snapshot of task {f.task_id} version {f.version}"
    if f.position is None and f.tree_size is None:
        return "witnesses"
    if f.position is None:
        return f"checkpoint of {f.tree_size} events"
    parts = [f"notification id {f.notification_id}"] if f.notification_id is not None else []
    parts += [f"task {f.task_id} version {f.version}"] if f.task_id else []
    return f"position {f.position}" + (f" ({', '.join(parts)})" if parts else "")


def print_bundle(report: BundleReport) -> str:
    checkpoint = report.checkpoint.checkpoint
    lines = ["HỢP LỆ / VALID: the bundle is exactly what the log held at the checkpoint",
             f"scope: {report.scope}; events: {report.events}; tasks: {report.tasks}",
             f"checkpoint: {checkpoint.tree_size} events of {checkpoint.log} ({checkpoint.org}), signed "
             f"{format_datetime(checkpoint.issued_at)} (giờ Việt Nam); earlier checkpoints proven consistent: "
             f"{report.checkpoints - 1}"]
    if report.forged:
        lines.append(f"CẢNH BÁO / WARNING: {len(report.forged)} row(s) in the log carry no valid service signature:")
        lines += [f"  - position {f['position']}: task {f['task_id']} version {f['version']}" for f in report.forged]
    return "\n".join(lines)
