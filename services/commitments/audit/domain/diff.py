"""What changed between two views of a task, field by field (nested fields flattened to dotted names)."""

from __future__ import annotations

from typing import Any

NOT_COMPARED = frozenset({"version", "updated_at"})  # change with every event; the entry carries them


def flatten(view: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in view.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Field by field, in the order of the task's view: [{"field", "before", "after"}]."""
    old, new = flatten(before), flatten(after)
    fields = [*new, *(k for k in old if k not in new)]
    return [{"field": f, "before": old.get(f), "after": new.get(f)} for f in fields
            if f not in NOT_COMPARED and old.get(f) != new.get(f)]
