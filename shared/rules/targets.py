"""What a target's number means: when it is met, how far along a task is, when it is exceeded. Pure.

Written once on primitives (kind, minimum, maximum) so the write side's `Target` and the readers'
contract types (`TargetV1`) both call it. A target is met at its threshold (a range at its minimum, a
milestone at 1 = done) and exceeded above its ceiling (a range above its maximum). A qualitative
task has no number: only the Board's confirmation says it is done, and it never counts as exceeding.
"""

from __future__ import annotations

NUMERIC_KINDS = frozenset({"at_least", "exactly", "range", "percentage"})


def is_numeric(kind: str) -> bool:
    return kind in NUMERIC_KINDS


def threshold(kind: str, minimum: float | None) -> float | None:
    """The value at which the commitment is met."""
    if kind == "milestone":
        return 1.0
    if kind == "qualitative":
        return None
    return minimum


def ceiling(kind: str, minimum: float | None, maximum: float | None) -> float | None:
    """The value above which the commitment is exceeded (over-achievement)."""
    if not is_numeric(kind):
        return None
    return maximum if maximum is not None else minimum


def percent_of(kind: str, minimum: float | None, achieved: float | None) -> float | None:
    """Achieved as a share of the threshold (100 = met)."""
    limit = threshold(kind, minimum)
    if achieved is None or limit is None:
        return None
    if limit == 0:
        return 100.0
    return achieved / limit * 100


def is_met(kind: str, minimum: float | None, achieved: float | None) -> bool | None:
    limit = threshold(kind, minimum)
    if limit is None:
        return None
    return achieved is not None and achieved >= limit


def exceeds(kind: str, minimum: float | None, maximum: float | None, achieved: float | None) -> bool:
    top = ceiling(kind, minimum, maximum)
    return achieved is not None and top is not None and achieved > top


def over_achievement(kind: str, minimum: float | None, maximum: float | None, achieved: float | None) -> float | None:
    """How far above the ceiling (in the target's measure), when exceeded."""
    top = ceiling(kind, minimum, maximum)
    if achieved is None or top is None or achieved <= top:
        return None
    return achieved - top
