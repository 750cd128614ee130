"""Target arithmetic on the public contract's TargetV1 (this service keeps its own copy of the rules;
it never imports the commitments service).

A target is met at its threshold (a range at its minimum, a milestone at 1 = done) and exceeded
above its ceiling (a range above its maximum). Qualitative tasks have no number: only the Board's
confirmation says they are done, and they never count as exceeding.
"""

from __future__ import annotations

from shared.contracts.common import TargetV1

NUMERIC_KINDS = frozenset({"at_least", "exactly", "range", "percentage"})


def is_numeric(target: TargetV1) -> bool:
    return target.kind in NUMERIC_KINDS


def threshold(target: TargetV1) -> float | None:
    if target.kind == "milestone":
        return 1.0
    if target.kind == "qualitative":
        return None
    return target.minimum


def ceiling(target: TargetV1) -> float | None:
    if not is_numeric(target):
        return None
    return target.maximum if target.maximum is not None else target.minimum


def percent_of(target: TargetV1, achieved: float | None) -> float | None:
    """Achieved as a share of the threshold (100 = met)."""
    limit = threshold(target)
    if achieved is None or limit is None:
        return None
    if limit == 0:
        return 100.0
    return achieved / limit * 100


def is_met(target: TargetV1, achieved: float | None) -> bool | None:
    limit = threshold(target)
    if limit is None:
        return None
    return achieved is not None and achieved >= limit


def exceeds(target: TargetV1, achieved: float | None) -> bool:
    top = ceiling(target)
    return achieved is not None and top is not None and achieved > top


def over_achievement(target: TargetV1, achieved: float | None) -> float | None:
    """How far above the ceiling (in the target's measure), when exceeded."""
    top = ceiling(target)
    if achieved is None or top is None or achieved <= top:
        return None
    return achieved - top
