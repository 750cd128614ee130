"""Clocks. Every rule takes "now" as an argument; the service asks one of these for it, so tests
(and a subprocess under test) move time without touching the wall clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from shared.clocks import ShiftedClock
from shared.clocks import aware as _aware

__all__ = ["Clock", "ManualClock", "ShiftedClock", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(tz=UTC)


class ManualClock:
    """Stands still until told to move."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)

    def __call__(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = _aware(instant)

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now
