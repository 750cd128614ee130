"""Wakes the publisher when events commit: PostgreSQL LISTEN on the channel the recorder NOTIFYs in
every inserting transaction. A notification is delivered when that transaction commits, so a
commit wakes the publisher within a millisecond or two; a polling loop would add its interval.

The listener is set up before the publisher's first read, and the publisher clears the signal
before each read, so a commit that lands after a read that found nothing always wakes it. When the
listening connection drops (PostgreSQL restarted), it reconnects with backoff and wakes the
publisher once it listens again, since notifications sent in between were lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg
from psycopg.sql import SQL, Identifier

log = logging.getLogger(__name__)


class Waker:
    def __init__(self, database_url: str, channel: str) -> None:
        self._url, self._channel = database_url, channel
        self._signal = asyncio.Event()
        self._listening = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="publisher-listen")
        await self._listening.wait()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def clear(self) -> None:
        self._signal.clear()

    def wake(self) -> None:
        self._signal.set()

    async def wait(self, timeout: float, stop: asyncio.Event) -> bool:
        """True when woken (or stopped), False after `timeout` seconds without a commit."""
        waits = [asyncio.ensure_future(self._signal.wait()), asyncio.ensure_future(stop.wait())]
        done, pending = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        return bool(done)

    async def _listen_forever(self) -> None:
        delay = 0.2
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._url, autocommit=True) as conn:
                    await conn.execute(SQL("LISTEN {}").format(Identifier(self._channel)))
                    self._listening.set()
                    self._signal.set()  # whatever committed while not listening is read now
                    delay = 0.2
                    async for _ in conn.notifies():
                        self._signal.set()
            except psycopg.Error as error:
                log.warning("LISTEN %s lost (%s); reconnecting in %.1fs", self._channel, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
