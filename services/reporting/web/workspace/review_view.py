"""The review screen's view of a draft: the source text cut into segments (each marked with the items
whose span covers it, so the page can highlight an item's words), and each item's form values — what
the API holds, or what the reviewer typed when it was refused — with its errors."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reporting.exports.labels import TARGET_KINDS
from shared.vn import format_date

KIND_OPTIONS = tuple(TARGET_KINDS.items())


@dataclass(frozen=True)
class Segment:
    text: str
    items: tuple[int, ...]  # the items whose source span covers this text; () for text no item came from
    starts: tuple[int, ...] = ()  # the items whose (first) span begins here: the anchor #nguon-<item>


@dataclass
class ItemView:
    item: dict[str, Any]
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def number(self) -> int:
        return int(self.item["item_id"])

    @property
    def due(self) -> str:
        ends = self.item["deadline"]["ends_at"]
        return format_date(datetime.fromisoformat(ends)) if ends else ""


def segments(text: str, items: list[dict[str, Any]]) -> list[Segment]:
    spans = [(int(s["start"]), int(s["end"]), int(i["item_id"])) for i in items for s in i["source"]]
    cuts = sorted({0, len(text), *(p for start, end, _ in spans for p in (start, end))})
    firsts = {i["item_id"]: int(i["source"][0]["start"]) for i in items if i["source"]}
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = tuple(sorted({n for start, end, n in spans if start <= a and b <= end}))
        starts = tuple(n for n in covering if firsts.get(n) == a)
        out.append(Segment(text[a:b], covering, starts))
    return out


def _number(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}".replace(".", ",")  # 98,62: a decimal comma, as Vietnamese writes it


def values_of(item: dict[str, Any]) -> dict[str, str]:
    target = item["target"]
    return {"unit": item["unit"] or "", "cooperating_units": ", ".join(item["cooperating_units"]),
            "title": item["title"], "target_kind": target["kind"], "target_minimum": _number(target["minimum"]),
            "target_maximum": _number(target["maximum"]), "target_measure": target["measure"] or "",
            "target_text": target["text"] or "", "deadline": item["deadline"]["text"] or "",
            "legal_basis": "\n".join(item["legal_basis"])}


def _parsed_number(text: str) -> float | str | None:
    """"98,62" and "500.000" as Vietnamese writes them (dots for thousands, a decimal comma)."""
    cleaned = text.strip()
    if "," in cleaned or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return text  # the API names the field: "target.minimum"


def edit_body(values: dict[str, str]) -> dict[str, Any]:
    """The form's fields → the drafts API's correction (every field: the form shows them all)."""
    return {
        "unit": values.get("unit") or None, "title": values.get("title", "").strip(),
        "cooperating_units": [c.strip() for c in values.get("cooperating_units", "").split(",") if c.strip()],
        "target": {"kind": values.get("target_kind", "qualitative"),
                   "minimum": _parsed_number(values.get("target_minimum", "")),
                   "maximum": _parsed_number(values.get("target_maximum", "")),
                   "measure": values.get("target_measure", "").strip(), "text": values.get("target_text", "").strip()},
        "deadline": values.get("deadline", "").strip() or None,
        "legal_basis": [line.strip() for line in values.get("legal_basis", "").splitlines() if line.strip()]}


# The API's field (in a correction's or an acceptance's problem) → the form's field.
_FIELDS = {"target.kind": "target_kind", "target.minimum": "target_minimum", "target.maximum": "target_maximum",
           "target.measure": "target_measure", "target.text": "target_text", "target": "target_text",
           "milestone": "target_text", "ref": "title", "program_year": "title"}


def form_field(api_field: str) -> str:
    name = api_field.removeprefix("body.")
    if name.startswith("cooperating_units"):
        return "cooperating_units"
    if name.startswith("legal_basis"):
        return "legal_basis"
    return _FIELDS.get(name, name.split(".")[0].split("[")[0])


def item_errors(fields: dict[str, str]) -> dict[int, dict[str, str]]:
    """An acceptance's refusals (`items[3].unit`) by item, then by the form's field."""
    found: dict[int, dict[str, str]] = {}
    for api_field, message in fields.items():
        if api_field.startswith("items[") and "]" in api_field:
            number, _, rest = api_field[6:].partition("]")
            if number.isdigit():
                found.setdefault(int(number), {})[form_field(rest.lstrip("."))] = message
    return found
