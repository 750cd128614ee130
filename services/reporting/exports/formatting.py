"""Cells and values written the Vietnamese way (dd/mm/yyyy, 1.234,5, 98,62%), the official status
colours, and the Jinja environment the pages and the printable report share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reporting.exports import labels
from reporting.exports.tables import Badge, Kind
from shared.rules.deadlines import deadline_wording
from shared.vn import format_date, format_datetime, format_percent, format_quantity

# The colour names of shared.status as colours: (strong, light) for text and backgrounds.
COLOURS: dict[str, tuple[str, str]] = {
    "green": ("#2e7d32", "#e3f2e4"),
    "blue": ("#1565c0", "#e2edf9"),
    "orange": ("#e65100", "#fdeadb"),
    "red": ("#c62828", "#fbe3e3"),
    "amber": ("#b26a00", "#fff3d6"),
    "grey": ("#6b6b6b", "#eeeeee"),
    "purple": ("#6a1b9a", "#f1e4f7"),
    "slate": ("#455a64", "#e6ebee"),
}
NEUTRAL = ("#333333", "#ffffff")


def colour(name: str | None, light: bool = False) -> str:
    strong, pale = COLOURS.get(name or "", NEUTRAL)
    return pale if light else strong


def number(value: float | int | None) -> str:
    """Whole numbers without decimals, others with up to two (4,5 not 4,50): `shared.vn.format_quantity`."""
    return format_quantity(value)


def percent(value: float | None) -> str:
    return format_percent(value)


def cell_text(value: Any, kind: Kind) -> str:
    """A cell as the page and the printed report show it."""
    if value is None:
        return ""
    match kind:
        case Kind.INT | Kind.NUMBER:
            return number(value)
        case Kind.PERCENT:
            return percent(value)
        case Kind.DATE:
            return format_date(value)
        case Kind.DATETIME:
            return format_datetime(value)
        case Kind.STATUS:
            return value.label if isinstance(value, Badge) else str(value)
    return str(value)


def day_words(day: date) -> str:
    """"ngày 05 tháng 01 năm 2025", "ngày 10 tháng 7 năm 2025": the place and date line of an official
    document (Decree 30/2020/NĐ-CP, Phụ lục I: a 0 before a day below 10 and before months 1 and 2 only)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def as_of_note(at: datetime) -> str:
    """The line every table and report carries: which day its figures stand at (Vietnam's calendar)."""
    return f"Số liệu tính đến ngày {format_date(at)}."


def environment(directories: Iterable[Path]) -> Environment:
    env = Environment(loader=FileSystemLoader([str(d) for d in directories]), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(vn_date=format_date, vn_datetime=_datetime, vn_number=number, vn_percent=percent,
                       cell=cell_text, colour=colour, role=labels.role, target_kind=_target_kind,
                       deadline_kind=_deadline_kind, deadline_wording=deadline_wording, yes_no=labels.yes_no)
    return env


def _datetime(value: datetime | None) -> str:
    return format_datetime(value)


def _target_kind(code: str) -> str:
    return labels.TARGET_KINDS.get(code, code)


def _deadline_kind(code: str) -> str:
    return labels.DEADLINE_KINDS.get(code, code)
