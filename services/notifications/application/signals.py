"""In-process nudges: work was queued, so the outbox and the delivery workers need not wait for
their next poll. Across processes they still poll; a nudge only shortens the wait."""

from __future__ import annotations

import asyncio
import contextlib


class Nudge:
    def __init__(self) -> None:
        self._event = asyncio.Event()

    def set(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)
        self._event.clear()


class Signals:
    def __init__(self) -> None:
        self.alerts = Nudge()  # new alerts to publish
        self.deliveries = Nudge()  # new deliveries to attempt

    def queued(self) -> None:
        self.alerts.set()
        self.deliveries.set()
