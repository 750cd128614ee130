"""The e-mail of an alert: a subject that reads in an inbox list, the message, and what to do."""

from __future__ import annotations

from notifications.domain.alerts import Alert
from notifications.domain.messages import RULE_LABELS, SEVERITY_LABELS
from shared.catalog import Organisation
from shared.vn import format_datetime, nfc


def alert_email(alert: Alert, org: Organisation) -> tuple[str, str]:
    label = RULE_LABELS.get(alert.rule, alert.rule)
    subject = f"[{org.short_name}] {SEVERITY_LABELS[alert.severity]}: {label} — nhiệm vụ {alert.task_ref}"
    lines = [
        alert.message, "",
        f"Đơn vị chủ trì: {org.unit_name(alert.unit)}",
        f"Năm kế hoạch: {alert.program_year}",
        f"Thời điểm cảnh báo: {format_datetime(alert.fired_at)}",
        f"Mã cảnh báo: {alert.id}", "",
        "Thư này được gửi tự động từ hệ thống Cam kết; xác nhận đã xem trên hệ thống để đóng cảnh báo.",
    ]
    return nfc(subject), nfc("\n".join(lines))
