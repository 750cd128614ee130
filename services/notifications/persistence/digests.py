"""Composed briefings: one per kind and period (the unique key makes a second composition a no-op)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from notifications.domain.digest import Briefing


async def insert(conn: AsyncConnection[Any], briefing_id: UUID, b: Briefing, now: datetime) -> bool:
    cur = await conn.execute(
        "INSERT INTO digests (id, kind, period, subject, body, composed_at) VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT DO NOTHING", (briefing_id, b.kind.value, b.period, b.subject, b.body, now))
    return cur.rowcount == 1


async def exists(conn: AsyncConnection[Any], kind: str, period: str) -> bool:
    cur = await conn.execute("SELECT 1 FROM digests WHERE kind = %s AND period = %s", (kind, period))
    return await cur.fetchone() is not None


async def get(conn: AsyncConnection[Any], briefing_id: UUID) -> dict[str, Any] | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT id, kind, period, subject, body, composed_at FROM digests WHERE id = %s",
                          (briefing_id,))
        return await cur.fetchone()


async def listing(conn: AsyncConnection[Any], limit: int) -> list[dict[str, Any]]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT id, kind, period, subject, body, composed_at FROM digests "
                          "ORDER BY composed_at DESC LIMIT %s", (limit,))
        return await cur.fetchall()
