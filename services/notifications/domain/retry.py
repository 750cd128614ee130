"""When to try a failed delivery again: exponential backoff, capped; none after the last attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)

    def retry_at(self, attempts_made: int, now: datetime) -> datetime | None:
        """After `attempts_made` failed attempts: the next try, or None (dead letter)."""
        if attempts_made >= self.max_attempts:
            return None
        delay: timedelta = min(self.base * 2 ** min(attempts_made - 1, 30), self.cap)
        return now + delay
