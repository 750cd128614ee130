"""Rebuild every read model from stream sequence 1 into fresh tables, then swap them in.

The old tables keep serving while the new ones fill (in the schema `<schema>_next`). The swap is
one short transaction that holds the live consumer's batch lock: no batch of the live consumer can
commit meanwhile, the new schema catches up with the stream's end under that lock, and then the two
schemas are renamed. Afterwards the live consumer reads its position from the new schema; what it
had fetched but not committed is at or below that position and is dropped there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from nats.aio.client import Client
from psycopg import sql

from reporting.config import ReportingSettings
from reporting.integration.consumer import reporting_consumer
from reporting.integration.handler import ReportingHandler, install
from shared.stream_consumer import ConsumerStats, store

Progress = Callable[[ConsumerStats], None]


@dataclass(frozen=True)
class RebuildResult:
    schema: str
    position: int
    delivered: int
    applied: int
    seconds: float


async def build_schema(nc: Client, settings: ReportingSettings, schema: str, *,
                       on_progress: Progress | None = None) -> ConsumerStats:
    """Builds every read model from sequence 1 into `schema` (dropped first) and returns when caught up."""
    settings = settings.model_copy(update={"batch_size": settings.rebuild_batch_size})
    async with await psycopg.AsyncConnection.connect(settings.database_url, autocommit=True) as conn:
        await drop_schema(conn, schema)
        await install(conn, schema)
    consumer = reporting_consumer(nc, settings, schema=schema, durable=f"{settings.consumer_name}-build-{schema}",
                                  one_off=True)
    try:
        await consumer.run(until_caught_up=True, on_progress=on_progress)
    finally:
        await consumer.remove_durable()
    return consumer.stats


class RebuildRunning(RuntimeError):
    pass


async def rebuild(nc: Client, settings: ReportingSettings, *, on_progress: Progress | None = None) -> RebuildResult:
    """Rebuilds into `<schema>_next` and swaps it in. `on_progress` gets the build's counters after
    each batch (stats.delivered of stats.delivered + stats.pending)."""
    started = time.perf_counter()
    live, fresh = settings.db_schema, f"{settings.db_schema}_next"
    async with await psycopg.AsyncConnection.connect(settings.database_url, autocommit=True) as conn:
        if not await store.try_lock_active(conn, fresh, "rebuild"):
            raise RebuildRunning(f"a rebuild of {live} is already running")
        stats = await build_schema(nc, settings, fresh, on_progress=on_progress)
        async with conn.transaction():
            await store.lock_batches(conn, live, settings.consumer_name)  # the live consumer waits from here
            tail = reporting_consumer(nc, settings, schema=fresh, durable=f"{settings.consumer_name}-build-{fresh}",
                                      one_off=True)  # made durable by the swap's own (synchronous) commit
            try:
                await tail.run(until_caught_up=True)
            finally:
                await tail.remove_durable()
            retired = await _swap(conn, live, fresh)
        if retired:
            await drop_schema(conn, retired)
    position, _ = await _position(settings, live)
    return RebuildResult(schema=live, position=position, delivered=stats.delivered + tail.stats.delivered,
                         applied=stats.applied + tail.stats.applied, seconds=time.perf_counter() - started)


async def _swap(conn: psycopg.AsyncConnection[Any], live: str, fresh: str) -> str | None:
    """Renames `fresh` to `live`; returns the name the old live schema now has (None if there was none)."""
    retired = None
    if await _schema_exists(conn, live):
        retired = f"{live}_old"
        await drop_schema(conn, retired)
        await _rename(conn, live, retired)
    await _rename(conn, fresh, live)
    return retired


async def _rename(conn: psycopg.AsyncConnection[Any], old: str, new: str) -> None:
    await conn.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(old), sql.Identifier(new)))


async def drop_schema(conn: psycopg.AsyncConnection[Any], schema: str) -> None:
    await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


async def _schema_exists(conn: psycopg.AsyncConnection[Any], schema: str) -> bool:
    cur = await conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
    return await cur.fetchone() is not None


async def _position(settings: ReportingSettings, schema: str) -> tuple[int, Any]:
    async with await psycopg.AsyncConnection.connect(settings.database_url, autocommit=True) as conn:
        return await store.read_position(conn, schema, settings.consumer_name)


async def fingerprint(conn: psycopg.AsyncConnection[Any], schema: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read model (and of the consumer's order state), sorted: two schemas built
    from the same stream must give equal fingerprints. Timestamps of bookkeeping are left out."""
    tables = [*ReportingHandler(schema).tables, "stream_task_versions", "stream_held"]
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables:
        columns = "*" if table != "stream_held" else "consumer, task_id, version, sequence, subject, headers, data"
        cur = await conn.execute(sql.SQL("SELECT " + columns + " FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)))
        out[table] = sorted(await cur.fetchall(), key=repr)
    cur = await conn.execute(sql.SQL("SELECT consumer, stream, sequence FROM {}.stream_positions").format(
        sql.Identifier(schema)))
    out["stream_positions"] = sorted(await cur.fetchall())
    return out

