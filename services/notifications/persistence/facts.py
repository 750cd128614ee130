"""task_facts rows ↔ TaskFacts, and the durable schedule (`next_check_at`) the scheduler follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, sql
from psycopg.rows import class_row

from notifications.domain.facts import TaskFacts

COLUMNS = [f.name for f in fields(TaskFacts)]
_COLS = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
_UPSERT = sql.SQL(
    "INSERT INTO task_facts ({cols}, next_check_at) VALUES ({values}, '-infinity') "
    "ON CONFLICT (task_id) DO UPDATE SET {updates}, next_check_at = '-infinity'").format(
    cols=_COLS, values=sql.SQL(", ").join(sql.Placeholder() * len(COLUMNS)),
    updates=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in COLUMNS[1:]))
_SELECT = sql.SQL("SELECT {cols} FROM task_facts").format(cols=_COLS)


def row(facts: TaskFacts) -> tuple[object, ...]:
    return tuple(getattr(facts, name) for name in COLUMNS)


async def get(conn: AsyncConnection[Any], task_ids: Sequence[UUID]) -> dict[UUID, TaskFacts]:
    async with conn.cursor(row_factory=class_row(TaskFacts)) as cur:
        await cur.execute(_SELECT + sql.SQL(" WHERE task_id = ANY(%s)"), (list(task_ids),))
        return {f.task_id: f for f in await cur.fetchall()}


async def save(conn: AsyncConnection[Any], changed: Sequence[TaskFacts]) -> None:
    """Stores facts after events; each changed task is looked at on the scheduler's next tick."""
    if changed:
        async with conn.cursor() as cur:
            await cur.executemany(_UPSERT, [row(f) for f in changed])


async def due(conn: AsyncConnection[Any], now: datetime, limit: int) -> list[TaskFacts]:
    """Tasks whose next boundary has passed, locked for this tick (other replicas skip them)."""
    async with conn.cursor(row_factory=class_row(TaskFacts)) as cur:
        await cur.execute(_SELECT + sql.SQL(
            " WHERE next_check_at <= %s ORDER BY next_check_at LIMIT %s FOR UPDATE SKIP LOCKED"), (now, limit))
        return await cur.fetchall()


async def reschedule(conn: AsyncConnection[Any], next_checks: Sequence[tuple[UUID, datetime | None]]) -> None:
    if next_checks:
        await conn.execute("UPDATE task_facts SET next_check_at = n.at FROM unnest(%s::uuid[], %s::timestamptz[]) "
                           "AS n(task_id, at) WHERE task_facts.task_id = n.task_id",
                           ([task_id for task_id, _ in next_checks], [at for _, at in next_checks]))


async def look_again(conn: AsyncConnection[Any], program_year: int | None = None) -> None:
    """Settings changed: look at every open task (of one program) on the next tick."""
    query = "UPDATE task_facts SET next_check_at = '-infinity' WHERE lifecycle NOT IN ('completed', 'cancelled')"
    if program_year is None:
        await conn.execute(query)
    else:
        await conn.execute(query + " AND program_year = %s", (program_year,))


async def all_facts(conn: AsyncConnection[Any], org: str) -> list[TaskFacts]:
    async with conn.cursor(row_factory=class_row(TaskFacts)) as cur:
        await cur.execute(_SELECT + sql.SQL(" WHERE org = %s ORDER BY program_year, ref"), (org,))
        return await cur.fetchall()
