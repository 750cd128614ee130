"""A draft's items and results as JSON (the jsonb columns), and back."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from commitments.drafts.model import DraftItem, ItemTarget, Span


def item_to_json(item: DraftItem) -> dict[str, Any]:
    data = asdict(item)
    for name in ("cooperating_units", "legal_basis", "doubts"):
        data[name] = list(data[name])
    data["spans"] = [{"start": s.start, "end": s.end} for s in item.spans]
    return data


def item_from_json(data: dict[str, Any]) -> DraftItem:
    return DraftItem(
        item_id=int(data["item_id"]), unit=data["unit"], cooperating_units=tuple(data["cooperating_units"]),
        title=data["title"], target=ItemTarget(**data["target"]), deadline_text=data["deadline_text"],
        legal_basis=tuple(data["legal_basis"]), section=data.get("section", ""),
        confidence=float(data.get("confidence", 0.0)), doubts=tuple(data.get("doubts", ())),
        spans=tuple(Span(int(s["start"]), int(s["end"])) for s in data.get("spans", ())),
        dropped=bool(data.get("dropped", False)), edited=bool(data.get("edited", False)))
