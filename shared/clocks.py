"""A clock that starts at a chosen instant and runs on at the wall clock's pace: the notifications
service under test and the training sandbox (its simulated "now") in notifications and reporting."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class ShiftedClock:
    def __init__(self, start: datetime) -> None:
        self._start, self._origin = aware(start), time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


def aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("a clock needs an aware instant (with a UTC offset)")
    return instant.astimezone(UTC)
