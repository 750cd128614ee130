"""The audit's PostgreSQL sessions: a small pool, opened on first use; the audit tables are created then."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from psycopg_pool import ConnectionPool

from commitments.audit.adapters.store import Conn


class PooledDatabase:
    def __init__(self, database_url: str, create: Callable[[Conn], None]) -> None:
        self._pool = ConnectionPool(database_url, min_size=1, max_size=4, open=False, kwargs={"autocommit": True})
        self._create, self._ready, self._opening = create, False, threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[Conn]:
        if not self._ready:
            self._open()
        with self._pool.connection() as conn:
            yield conn

    def _open(self) -> None:
        # Two first reads at once must not both open the pool (psycopg_pool asserts) or both create the
        # tables: the second waits for the first and then finds it ready.
        with self._opening:
            if self._ready:
                return
            self._pool.open(wait=True, timeout=10)
            with self._pool.connection() as conn:
                self._create(conn)
            self._ready = True

    @contextmanager
    def snapshot(self) -> Iterator[Conn]:
        """One consistent view of rows, seals and checkpoints (the sealer may be writing meanwhile)."""
        with self.connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    def close(self) -> None:
        self._pool.close()
