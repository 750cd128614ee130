"""Delivery rows: claimed with a lease (a crashed worker's claims come back when it runs out), then
marked delivered, or rescheduled with backoff, or dead after the last allowed failure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import class_row, dict_row

from notifications.application.ports import Claimed
from notifications.domain.delivery_log import ANSWER_NOT_KEPT, ANSWER_REASONS
from notifications.domain.subscriptions import Subscription

_CLAIM = """
UPDATE deliveries SET next_attempt_at = %s
WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= %s
             ORDER BY next_attempt_at, id LIMIT %s FOR UPDATE SKIP LOCKED)
RETURNING id, subscription_id, kind, ref_id, channel, address, attempts"""
_DELIVER = """
INSERT INTO deliveries (subscription_id, kind, ref_id, channel, address, next_attempt_at, created_at)
SELECT s, %s, r, c, a, %s, %s FROM unnest(%s::uuid[], %s::uuid[], %s::text[], %s::text[]) AS t(s, r, c, a)
ON CONFLICT DO NOTHING"""
COLUMNS = ("id, subscription_id, kind, ref_id, channel, address, status, attempts, next_attempt_at, last_error, "
           "created_at, delivered_at")


async def queue(conn: AsyncConnection[Any], kind: str, pairs: Sequence[tuple[Subscription, UUID]],
                           now: datetime) -> None:
    if pairs:
        await conn.execute(_DELIVER, (kind, now, now, [s.id for s, _ in pairs], [ref for _, ref in pairs],
                                      [s.channel.value for s, _ in pairs], [s.address for s, _ in pairs]))


async def claim(conn: AsyncConnection[Any], now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
    async with conn.cursor(row_factory=class_row(Claimed)) as cur:
        await cur.execute(_CLAIM, (lease_until, now, limit))
        return await cur.fetchall()


async def delivered(conn: AsyncConnection[Any], delivery_id: int, now: datetime) -> None:
    await conn.execute("UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = %s, "
                       "last_error = NULL WHERE id = %s AND status = 'pending'", (now, delivery_id))


async def failed(conn: AsyncConnection[Any], delivery_id: int, error: str, retry_at: datetime | None) -> None:
    """`retry_at` None: that was the last allowed attempt, the delivery goes to the dead letters."""
    await conn.execute(
        "UPDATE deliveries SET attempts = attempts + 1, last_error = %s, "
        "status = CASE WHEN %s::timestamptz IS NULL THEN 'dead' ELSE 'pending' END, "
        "next_attempt_at = COALESCE(%s::timestamptz, next_attempt_at) WHERE id = %s AND status = 'pending'",
        (error[:2000], retry_at, retry_at, delivery_id))


async def listing(conn: AsyncConnection[Any], status: str | None, ref_id: UUID | None,
                  limit: int) -> list[dict[str, Any]]:
    where: list[str] = []
    params: list[object] = []
    if status:
        where.append("status = %s")
        params.append(status)
    if ref_id:
        where.append("ref_id = %s")
        params.append(ref_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {COLUMNS} FROM deliveries {clause} ORDER BY id DESC LIMIT %s",
                          [*params, limit])
        return await cur.fetchall()


async def retry(conn: AsyncConnection[Any], delivery_ids: Sequence[int], now: datetime) -> int:
    """Puts dead letters back in the queue with a fresh count of attempts."""
    cur = await conn.execute("UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = %s "
                             "WHERE id = ANY(%s) AND status = 'dead'", (now, list(delivery_ids)))
    return cur.rowcount



async def forget_answer_bodies(conn: AsyncConnection[Any]) -> int:
    """Versions before this one kept up to 200 characters of a receiver's answer in `last_error`
    ("HTTP 500: <its body>"); only the status and one of the sender's own reasons are kept now, and
    older rows are cut down to their status. Returns how many were."""
    cur = await conn.execute(
        "UPDATE deliveries SET last_error = substring(last_error FROM '^HTTP [0-9]{3}') || ': ' || %s "
        "WHERE last_error ~ '^HTTP [0-9]{3}: ' AND substring(last_error FROM 11) <> ALL(%s)",
        (ANSWER_NOT_KEPT, [*ANSWER_REASONS, ANSWER_NOT_KEPT]))
    return cur.rowcount
