"""The Vietnamese text of each alert (NFC, dates dd/mm/yyyy, numbers 98,62%)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from notifications.domain.facts import TaskFacts
from notifications.domain.rules import Firing, Rule
from shared.catalog import Organisation
from shared.rules.deadlines import deadline_wording
from shared.vn import format_date, format_percent, format_quantity, nfc

TITLE_LIMIT = 120


def message(firing: Firing, facts: TaskFacts, org: Organisation) -> str:
    text = _TEXTS[firing.rule](firing.detail, facts, org)
    return nfc(f"{task_label(facts, org)} {text}")


def task_label(f: TaskFacts, org: Organisation) -> str:
    title = f.title if len(f.title) <= TITLE_LIMIT else f.title[: TITLE_LIMIT - 1].rstrip() + "…"
    return f"Nhiệm vụ {f.ref} “{title}” ({org.unit_name(f.unit)})"


def quantity(value: float, f: TaskFacts) -> str:
    return f"{format_quantity(value)} {f.measure}".strip()


def _approaching(d: dict[str, Any], f: TaskFacts, _: Organisation) -> str:
    return f"sắp đến hạn: còn {d['days']} ngày (hạn {format_date(d['due_at'])}, {deadline_wording(f.deadline_text)})."


def _overdue(d: dict[str, Any], f: TaskFacts, _: Organisation) -> str:
    written = deadline_wording(f.deadline_text)
    return f"đã quá hạn ({written}, hạn {format_date(d['due_at'])}) mà chưa được xác nhận hoàn thành."


def _no_progress(d: dict[str, Any], _: TaskFacts, __: Organisation) -> str:
    last = d["last_report_at"]
    since = f"lần gần nhất ngày {format_date(last)}" if last else f"tính từ ngày {format_date(d['since'])}"
    return f"chưa có báo cáo tiến độ trong {d['days']} ngày ({since})."


def _behind(d: dict[str, Any], f: TaskFacts, _: Organisation) -> str:
    return (f"chậm so với tiến độ: mới đạt {quantity(d['achieved'], f)} / {quantity(d['target'], f)} "
            f"({format_percent(100 * d['share'])}), trong khi theo tiến độ đều cần khoảng "
            f"{format_percent(100 * d['expected'])} để kịp hạn {format_date(d['due_at'])}.")


def _waiting(d: dict[str, Any], _: TaskFacts, __: Organisation) -> str:
    return (f"đã đề nghị xác nhận hoàn thành từ ngày {format_date(d['requested_at'])} (hoàn thành ngày "
            f"{format_date(d['completed_on'])}), đã chờ quá {d['days']} ngày mà chưa được xác nhận.")


def _lowered(d: dict[str, Any], _: TaskFacts, __: Organisation) -> str:
    return (f"được điều chỉnh giảm chỉ tiêu: từ “{d['old_target']}” xuống “{d['new_target']}” "
            f"({d['document']}, hiệu lực từ ngày {format_date(d['effective_on'])}). Lý do: {d['reason']}")


def _extended(d: dict[str, Any], _: TaskFacts, __: Organisation) -> str:
    return (f"được lùi thời hạn: từ {format_date(d['old_due_at'])} ({d['old_deadline']}) sang "
            f"{format_date(d['new_due_at'])} ({d['new_deadline']}) ({d['document']}, hiệu lực từ ngày "
            f"{format_date(d['effective_on'])}). Lý do: {d['reason']}")


def _reassigned(d: dict[str, Any], _: TaskFacts, org: Organisation) -> str:
    document = f" ({d['document']})" if d["document"] else ""
    return (f"được chuyển từ {org.unit_name(d['from_unit'])} sang {org.unit_name(d['to_unit'])}{document}. "
            f"Lý do: {d['reason']}")


def _cancelled(d: dict[str, Any], f: TaskFacts, _: Organisation) -> str:
    return f"đã bị hủy ngày {format_date(f.cancelled_at)} ({d['document']}). Lý do: {d['reason']}"


_TEXTS: dict[Rule, Callable[[dict[str, Any], TaskFacts, Organisation], str]] = {
    Rule.DEADLINE_APPROACHING: _approaching, Rule.OVERDUE: _overdue, Rule.NO_PROGRESS: _no_progress,
    Rule.BEHIND_PACE: _behind, Rule.COMPLETION_WAITING: _waiting, Rule.TARGET_LOWERED: _lowered,
    Rule.DEADLINE_EXTENDED: _extended, Rule.TASK_REASSIGNED: _reassigned, Rule.TASK_CANCELLED: _cancelled,
}

RULE_LABELS: dict[str, str] = {
    Rule.DEADLINE_APPROACHING: "Sắp đến hạn", Rule.OVERDUE: "Quá hạn", Rule.NO_PROGRESS: "Chưa báo cáo tiến độ",
    Rule.BEHIND_PACE: "Chậm tiến độ", Rule.COMPLETION_WAITING: "Chờ xác nhận hoàn thành",
    Rule.TARGET_LOWERED: "Điều chỉnh giảm chỉ tiêu", Rule.DEADLINE_EXTENDED: "Lùi thời hạn",
    Rule.TASK_REASSIGNED: "Chuyển đơn vị chủ trì", Rule.TASK_CANCELLED: "Hủy nhiệm vụ",
}
SEVERITY_LABELS = {"info": "Thông tin", "warning": "Cảnh báo", "critical": "Khẩn"}
