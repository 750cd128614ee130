"""The consumer's own tables, in the same schema (and so the same transactions) as its read models.

    stream_positions      the last stream sequence whose effects are committed (the source of truth)
    stream_task_versions  the last task_version applied per task (per-task order, duplicate drop)
    stream_held           events waiting for a missing earlier version of their task
    stream_rejected       messages that are not a valid task event (kept for inspection, skipped)
    stream_parked         valid events the handler could not apply, alone (see parking.py)

Every write below runs inside the batch transaction of the caller.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, sql

from shared.storable import storable, storable_value
from shared.stream_consumer.order import Delivery

AsyncConn = AsyncConnection[Any]

DDL = """
CREATE TABLE IF NOT EXISTS {schema}.stream_positions (
    consumer text PRIMARY KEY, stream text NOT NULL, sequence bigint NOT NULL,
    stream_created timestamptz, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS {schema}.stream_task_versions (
    consumer text NOT NULL, task_id uuid NOT NULL, version integer NOT NULL, PRIMARY KEY (consumer, task_id))
    WITH (fillfactor = 70);
CREATE TABLE IF NOT EXISTS {schema}.stream_held (
    consumer text NOT NULL, task_id uuid NOT NULL, version integer NOT NULL, sequence bigint NOT NULL,
    subject text NOT NULL, headers jsonb NOT NULL, data bytea NOT NULL, held_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, task_id, version));
CREATE TABLE IF NOT EXISTS {schema}.stream_rejected (
    consumer text NOT NULL, sequence bigint NOT NULL, subject text NOT NULL, reason text NOT NULL,
    headers jsonb NOT NULL, data bytea NOT NULL, rejected_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, sequence));
CREATE TABLE IF NOT EXISTS {schema}.stream_parked (
    consumer text NOT NULL, sequence bigint NOT NULL, subject text NOT NULL, task_id uuid, version integer,
    event_type text, reason text NOT NULL, headers jsonb NOT NULL, data bytea NOT NULL,
    parked_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, sequence));
"""


def _q(template: str, schema: str) -> sql.Composed:
    return sql.SQL(template).format(schema=sql.Identifier(schema))


def uuid_array(ids: Iterable[UUID]) -> str:
    """A uuid[] literal: a thousand ids as one text parameter cost far less to send than a list
    adapted element by element."""
    return "{" + ",".join(map(str, ids)) + "}"


async def install(conn: AsyncConn, schema: str) -> None:
    await conn.execute(_q("CREATE SCHEMA IF NOT EXISTS {schema}", schema))
    for statement in DDL.split(";"):
        if statement.strip():
            await conn.execute(_q(statement, schema))


async def lock_batches(conn: AsyncConn, schema: str, consumer: str) -> None:
    """Serialises batch transactions with a rebuild's swap of the schema (released at commit)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"{schema}/{consumer}/batch"])


async def try_lock_active(conn: AsyncConn, schema: str, consumer: str) -> bool:
    """One active consumer per schema and name (replicas wait); held for the connection's life."""
    cur = await conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [f"{schema}/{consumer}/active"])
    row = await cur.fetchone()
    return bool(row and row[0])


def position_query(schema: str) -> sql.Composed:
    return _q("SELECT sequence FROM {schema}.stream_positions WHERE consumer = %s", schema)


async def read_position(conn: AsyncConn, schema: str, consumer: str) -> tuple[int, datetime | None]:
    cur = await conn.execute(_q("SELECT sequence, stream_created FROM {schema}.stream_positions WHERE consumer = %s",
                                schema), [consumer])
    row = await cur.fetchone()
    return (int(row[0]), row[1]) if row else (0, None)


async def write_position(conn: AsyncConn, schema: str, consumer: str, *, stream: str, sequence: int,
                         stream_created: datetime | None, force: bool = False) -> None:
    """Moves the position forward (never back, unless `force`: the stream itself was recreated)."""
    keep = "EXCLUDED.sequence" if force else "GREATEST({schema}.stream_positions.sequence, EXCLUDED.sequence)"
    await conn.execute(_q(
        "INSERT INTO {schema}.stream_positions (consumer, stream, sequence, stream_created) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (consumer) DO UPDATE SET sequence = " + keep + ", stream = EXCLUDED.stream, "
        "stream_created = COALESCE(EXCLUDED.stream_created, {schema}.stream_positions.stream_created), "
        "updated_at = now()", schema), [consumer, stream, sequence, stream_created])


@dataclass(frozen=True)
class BatchState:
    position: int
    versions: dict[UUID, int]  # the last applied version of each task asked about
    held: list[tuple[int, str, dict[str, str], bytes]]  # their held events: (sequence, subject, headers, data)


async def batch_state(conn: AsyncConn, schema: str, consumer: str, tasks: Collection[UUID]) -> BatchState:
    """Takes the batch lock, then reads the position and the tasks' versions and held events — sent
    together, so one round trip in pipeline mode."""
    ids = uuid_array(tasks)
    await lock_batches(conn, schema, consumer)
    position = await conn.execute(position_query(schema), [consumer])
    versions = await conn.execute(_q("SELECT task_id, version FROM {schema}.stream_task_versions "
                                     "WHERE consumer = %s AND task_id = ANY(%s::uuid[])", schema), [consumer, ids])
    held = await conn.execute(_q("SELECT sequence, subject, headers, data FROM {schema}.stream_held "
                                 "WHERE consumer = %s AND task_id = ANY(%s::uuid[]) ORDER BY sequence", schema),
                              [consumer, ids])
    row = await position.fetchone()
    return BatchState(position=int(row[0]) if row else 0,
                      versions={r[0]: r[1] for r in await versions.fetchall()},
                      held=[(r[0], r[1], r[2], bytes(r[3])) for r in await held.fetchall()])


async def all_versions(conn: AsyncConn, schema: str, consumer: str) -> dict[UUID, int]:
    cur = await conn.execute(_q("SELECT task_id, version FROM {schema}.stream_task_versions WHERE consumer = %s",
                                schema), [consumer])
    return {row[0]: row[1] for row in await cur.fetchall()}


async def held_counts(conn: AsyncConn, schema: str, consumer: str) -> dict[UUID, int]:
    cur = await conn.execute(_q("SELECT task_id, count(*) FROM {schema}.stream_held WHERE consumer = %s "
                                "GROUP BY task_id", schema), [consumer])
    return {row[0]: int(row[1]) for row in await cur.fetchall()}


async def save_versions(conn: AsyncConn, schema: str, consumer: str, versions: dict[UUID, int]) -> None:
    if not versions:
        return
    await conn.execute(_q(
        "INSERT INTO {schema}.stream_task_versions (consumer, task_id, version) "
        "SELECT %s, t, v FROM unnest(%s::uuid[], %s::int[]) AS u(t, v) "
        "ON CONFLICT (consumer, task_id) DO UPDATE SET version = EXCLUDED.version", schema),
        [consumer, uuid_array(versions), "{" + ",".join(map(str, versions.values())) + "}"])


async def hold(conn: AsyncConn, schema: str, consumer: str, held: Sequence[Delivery]) -> None:
    for d in held:
        await conn.execute(_q(
            "INSERT INTO {schema}.stream_held (consumer, task_id, version, sequence, subject, headers, data) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING", schema),
            [consumer, d.task_id, d.version, d.sequence, d.subject, json.dumps(storable_value(dict(d.headers))),
             d.envelope.data])


async def release(conn: AsyncConn, schema: str, consumer: str, released: Iterable[Delivery]) -> None:
    for d in released:
        await conn.execute(_q("DELETE FROM {schema}.stream_held WHERE consumer = %s AND task_id = %s AND version = %s",
                              schema), [consumer, d.task_id, d.version])


async def count_held(conn: AsyncConn, schema: str, consumer: str) -> int:
    cur = await conn.execute(_q("SELECT count(*) FROM {schema}.stream_held WHERE consumer = %s", schema), [consumer])
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def reject(conn: AsyncConn, schema: str, consumer: str,
                 rejected: Sequence[tuple[int, str, str, dict[str, str], bytes]]) -> None:
    for sequence, subject, reason, headers, data in rejected:
        await conn.execute(_q(
            "INSERT INTO {schema}.stream_rejected (consumer, sequence, subject, reason, headers, data) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING", schema),
            [consumer, sequence, subject, storable(reason), json.dumps(storable_value(headers)), data])
