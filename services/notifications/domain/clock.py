"""Clocks. Every rule takes "now" as an argument; the service asks one of these for it, so tests
(and a subprocess under test) move time without touching the wall clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

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


class ShiftedClock:
    """Starts at a chosen instant and then runs at the wall clock's pace (a process under test)."""

    def __init__(self, start: datetime) -> None:
        self._start, self._origin = _aware(start), time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("a clock needs an aware instant (with a UTC offset)")
    return instant.astimezone(UTC)
