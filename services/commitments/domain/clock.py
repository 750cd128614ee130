"""The clock that stamps events with the time they were recorded.

Events are stamped by the aggregate when they are triggered. The stamp comes from this clock so
that a test (or a replay tool) can set the time without touching the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(tz=UTC)


_current: ContextVar[Clock] = ContextVar("recording_clock", default=system_clock)


def now() -> datetime:
    return _current.get()()


@contextmanager
def recording_clock(clock: Clock) -> Iterator[None]:
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)
