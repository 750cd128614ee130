"""How a parsed target and deadline read back in Vietnamese, so the Office sees what the system
understood before saving ("01 - 02 lớp" → "khoảng 1–2 lớp"; "Quý III/2025" → "hạn 30/09/2025"). Pure,
on primitives, so that the write side's values and the readers' contract types can both call it."""

from __future__ import annotations

from datetime import datetime

from shared.rules.deadlines import WHOLE_YEAR
from shared.vn import format_date, format_datetime, format_quantity


def target_label(kind: str, minimum: float | None, maximum: float | None, measure: str, per: str | None,
                 text: str) -> str:
    unit = f" {measure}" if measure else ""
    rate = f"/{per}" if per else ""
    low, high = format_quantity(minimum), format_quantity(maximum)
    match kind:
        case "at_least":
            return f"ít nhất {low}{unit}{rate}"
        case "exactly":
            return f"đúng {low}{unit}{rate}"
        case "range":
            return f"khoảng {low}–{high}{unit}{rate}"
        case "percentage":
            return f"{low}%{unit}"
        case "milestone":
            return f"mốc hoàn thành: {text}" if text else "mốc hoàn thành"
    return f"định tính: {text}" if text else "định tính (không có số liệu)"


def deadline_label(kind: str, due_at: datetime) -> str:
    """The day the task falls due; an exact hour when the notice gives one, "cả năm" when it gives none."""
    if kind == "exact":
        return f"hạn {format_datetime(due_at)}"
    if kind == "none":
        return f"hạn {format_date(due_at)} ({WHOLE_YEAR})"
    return f"hạn {format_date(due_at)}"
