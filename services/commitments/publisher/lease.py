"""Leadership: one publisher per stream publishes, any other instance waits and takes over.

The lease is a PostgreSQL session advisory lock held on a connection of its own. PostgreSQL drops it
the moment that session ends — a SIGKILLed leader's socket closes and the lock is free — so a
standby polling for it takes over within a poll interval. The leader checks its connection every
`check` seconds: a leader whose session is gone (terminated, the database restarted, the network
cut) no longer holds the lock and must stop publishing, since another instance may already lead.

Even two leaders at once (a partition before the old one notices) would not put an event twice on
the stream: each window is sent with the stream's expected last sequence and message ids (see
`windows`), so the stream refuses the slower one. The lease keeps that race the rare case.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import psycopg

from shared.ops.leases import named_session

log = logging.getLogger(__name__)
LOCK_QUERY = "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))"


def publisher_lease_name(stream: str) -> str:
    """The lock's name: one leader per stream (`camket status` reads its holder by this name)."""
    return f"camket-publisher/{stream}"


class LeaseLost(RuntimeError):
    """The leader's lock session ended: it stops publishing and competes for the lease again."""


class Lease:
    def __init__(self, database_url: str, name: str, *, poll: float = 0.5, check: float = 1.0,
                 timeout: float = 3.0) -> None:
        self.url, self.name = database_url, name
        self.poll, self.check, self.timeout = poll, check, timeout
        self.session_url = named_session(database_url, "camket-publisher")  # its holder, in pg_stat_activity
        self.held = False
        self.lost = 0  # times the lease was lost while leading (a metric)
        self.attempts = 0  # tries for the lock, won or not
        self.backend_pid: int | None = None  # the PostgreSQL session holding (or trying for) the lock
        self._conn: psycopg.AsyncConnection[Any] | None = None

    async def acquire(self, stop: asyncio.Event) -> bool:
        """Waits until this instance leads; False if stopped first."""
        told = unreachable = False  # each said once per wait, not at every try
        while not stop.is_set():
            try:
                if await self._try():
                    self.held = True
                    log.info("leading: holds the lease %s", self.name)
                    return True
                if not told:
                    log.info("another instance holds the lease %s; standing by", self.name)
                    told = True
            except (psycopg.Error, OSError, TimeoutError) as error:
                if not unreachable:
                    log.warning("cannot reach PostgreSQL for the lease %s (%s); retrying", self.name, error)
                    unreachable = True
                await self._drop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll)
        return False

    async def watch(self) -> None:
        """Returns never while the lease holds; raises LeaseLost once its session is gone."""
        while True:
            await asyncio.sleep(self.check)
            try:
                if self._conn is None:
                    raise psycopg.OperationalError("no lease connection")
                async with asyncio.timeout(self.timeout):
                    await self._conn.execute("SELECT 1")
            except (psycopg.Error, OSError, TimeoutError) as error:
                self.lost += 1
                await self._drop()
                raise LeaseLost(f"the lease {self.name} is lost ({type(error).__name__}: {error})") from None

    async def release(self) -> None:
        await self._drop()

    async def _try(self) -> bool:
        if self._conn is None or self._conn.closed:
            async with asyncio.timeout(self.timeout + 5):
                self._conn = await psycopg.AsyncConnection.connect(
                    self.session_url, autocommit=True, connect_timeout=5)
            self.backend_pid = self._conn.info.backend_pid
        self.attempts += 1
        async with asyncio.timeout(self.timeout):
            cur = await self._conn.execute(LOCK_QUERY, [self.name])
            row = await cur.fetchone()
        return bool(row and row[0])

    async def _drop(self) -> None:
        self.held = False
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
