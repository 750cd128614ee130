"""A pool of async PostgreSQL connections whose search path is the service's own schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from notifications.persistence.schema import migrate


class Database:
    def __init__(self, url: str, schema: str, size: int = 6) -> None:
        self.url, self.schema = url, schema
        self.pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            url, min_size=1, max_size=size, open=False, check=AsyncConnectionPool.check_connection,
            # UTC: instants come back with datetime.timezone.utc, several times faster to compare and
            # add to than the ZoneInfo a server zone such as 'Etc/UTC' would give them
            kwargs={"options": f"-c search_path={schema} -c timezone=UTC"})

    async def open(self) -> None:
        await self.pool.open(wait=True, timeout=30)
        async with self.pool.connection() as conn:
            await migrate(conn, self.schema)

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection[Any]]:
        async with self.pool.connection() as conn, conn.transaction():
            yield conn
