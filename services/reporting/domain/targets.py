"""Target arithmetic on the reporting side's Target: the one rule of `shared.rules.targets` (this
service never imports the commitments service)."""

from __future__ import annotations

from reporting.domain.terms import Target
from shared.rules import targets as rule

NUMERIC_KINDS = rule.NUMERIC_KINDS


def is_numeric(target: Target) -> bool:
    return rule.is_numeric(target.kind)


def threshold(target: Target) -> float | None:
    return rule.threshold(target.kind, target.minimum)


def ceiling(target: Target) -> float | None:
    return rule.ceiling(target.kind, target.minimum, target.maximum)


def percent_of(target: Target, achieved: float | None) -> float | None:
    """Achieved as a share of the threshold (100 = met)."""
    return rule.percent_of(target.kind, target.minimum, achieved)


def is_met(target: Target, achieved: float | None) -> bool | None:
    return rule.is_met(target.kind, target.minimum, achieved)


def exceeds(target: Target, achieved: float | None) -> bool:
    return rule.exceeds(target.kind, target.minimum, target.maximum, achieved)


def over_achievement(target: Target, achieved: float | None) -> float | None:
    """How far above the ceiling (in the target's measure), when exceeded."""
    return rule.over_achievement(target.kind, target.minimum, target.maximum, achieved)
