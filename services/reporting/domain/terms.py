"""A task's target and deadline as this service holds them: plain values, translated from the public
contract in `integration/` (so a new contract version changes the translator, not these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # at_least | exactly | range | percentage | milestone | qualitative
    text: str  # as written in the program, e.g. "ít nhất 10 doanh nghiệp"
    measure: str
    minimum: float | None
    maximum: float | None
    per: str | None  # the rate period of targets such as "4 – 5 cuộc/năm"


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: str
    text: str  # as written, e.g. "Quý III/2025"
    starts_at: datetime | None
    ends_at: datetime | None
    recurring: bool
    due_at: datetime  # when the task falls due within its program year (UTC)
