"""Parking: a valid event that the handler cannot apply must neither stop the consumer nor vanish.

When a batch fails for a reason that may lie in one of its messages (a value PostgreSQL refuses, an
error raised by the handler's own code) and not in the system (a connection lost, NATS away), the
session ends and the same messages are tried again one at a time, from the committed position. A
message that fails again alone is *parked*: its row in `stream_parked` (subject, headers, data and
the reason), its task's version and the position past it commit in one transaction — the
exactly-once rule holds, and the task's next events are not held behind it. The consumer counts it
(`ConsumerStats.parked`, loaded from the table at every start), logs it as an error, reports it in
its service's /health, and goes on. An operator lists parked events with the service's CLI; a
rebuild from the stream applies them again once the cause is fixed.

A systemic error (the schema missing, a connection gone) never parks anything: it is retried.
A parked event leaves its task's read models without that one change, which is what the operator
is told; a released held event that fails with the message that released it parks with it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg
from nats.aio.msg import Msg
from opentelemetry import metrics
from psycopg import sql

from shared.storable import storable, storable_value
from shared.stream_consumer import store
from shared.stream_consumer.decode import decode_message
from shared.stream_consumer.order import Delivery
from shared.stream_consumer.protocol import AsyncConn, ConsumerOptions, Reposition
from shared.stream_consumer.pull import ConsumerGone, sequences

log = logging.getLogger("shared.stream_consumer")
_parked = metrics.get_meter("shared.stream_consumer").create_counter(
    "camket.consumer.parked", description="valid events the handler could not apply, parked in stream_parked")
# Errors of the data in hand: SQLSTATE classes 22 (data exception: e.g. NUL in text), 23 (integrity)
# and 54 (program limit: e.g. an index row too large for a very long text).
_DATA_ERRORS = (psycopg.DataError, psycopg.IntegrityError, psycopg.errors.ProgramLimitExceeded)


class PoisonBatch(Exception):
    """A batch failed for a reason that may be one of its messages: try them one at a time."""

    def __init__(self, first: int, last: int, error: BaseException) -> None:
        super().__init__(f"stream sequences {first}–{last}: {type(error).__name__}: {error}")
        self.first, self.last, self.error = first, last, error


class Parked(Reposition):
    """One message was parked; the session starts again right after it (its memory reloaded)."""


class Isolated(Reposition):
    """The messages of a failed batch were all tried alone: back to full batches."""


def message_specific(error: BaseException) -> bool:
    """Whether `error` may come from the message rather than from the system around it."""
    if isinstance(error, _DATA_ERRORS):
        return True
    return not isinstance(error, (psycopg.Error, OSError, TimeoutError, Reposition, ConsumerGone, PoisonBatch))


def poison(msgs: list[Msg], error: BaseException) -> PoisonBatch:
    return PoisonBatch(sequences(msgs[0])[0], sequences(msgs[-1])[0], error)


async def park(conn: AsyncConn, options: ConsumerOptions, msg: Msg, error: BaseException,
               stream_created: datetime | None) -> bool:
    """Parks `msg` in its own transaction; False if the committed position is past it already."""
    sequence = sequences(msg)[0]
    decoded = decode_message(msg, sequence)
    delivery = decoded if isinstance(decoded, Delivery) else None
    reason = storable(f"{type(error).__name__}: {error}")[:2000]
    schema, name = options.schema, options.name
    async with conn.transaction():
        await store.lock_batches(conn, schema, name)
        position, _ = await store.read_position(conn, schema, name)
        if position >= sequence:
            return False
        await conn.execute(_q(
            "INSERT INTO {schema}.stream_parked (consumer, sequence, subject, task_id, version, event_type, reason, "
            "headers, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING", schema),
            [name, sequence, msg.subject, delivery and delivery.task_id, delivery and delivery.version,
             delivery and delivery.type, reason, json.dumps(storable_value(dict(msg.headers or {}))), msg.data])
        if delivery is not None:  # its task's next events follow it, as if it had been applied
            await conn.execute(_q(
                "INSERT INTO {schema}.stream_task_versions (consumer, task_id, version) VALUES (%s, %s, %s) "
                "ON CONFLICT (consumer, task_id) DO UPDATE SET version = GREATEST("
                "{schema}.stream_task_versions.version, EXCLUDED.version)", schema),
                [name, delivery.task_id, delivery.version])
        await store.write_position(conn, schema, name, stream=options.stream, sequence=sequence,
                                   stream_created=stream_created)
    _parked.add(1, {"consumer": name})
    log.error("consumer %s: parked stream sequence %d (%s task %s version %s): %s; it is kept in %s.stream_parked",
              name, sequence, delivery and delivery.type, delivery and delivery.task_id,
              delivery and delivery.version, reason, schema)
    return True


@dataclass(frozen=True)
class ParkedEvent:
    sequence: int
    subject: str
    task_id: UUID | None
    version: int | None
    event_type: str | None
    reason: str
    parked_at: datetime


async def parked_events(conn: AsyncConn, schema: str, consumer: str) -> list[ParkedEvent]:
    cur = await conn.execute(_q("SELECT sequence, subject, task_id, version, event_type, reason, parked_at "
                                "FROM {schema}.stream_parked WHERE consumer = %s ORDER BY sequence", schema),
                             [consumer])
    return [ParkedEvent(*row) for row in await cur.fetchall()]


async def count_parked(conn: AsyncConn, schema: str, consumer: str) -> int:
    return await _count(conn, schema, "stream_parked", consumer)


async def count_rejected(conn: AsyncConn, schema: str, consumer: str) -> int:
    """Messages kept in stream_rejected: not valid task events at all (decode.Rejected)."""
    return await _count(conn, schema, "stream_rejected", consumer)


async def _count(conn: AsyncConn, schema: str, table: str, consumer: str) -> int:
    cur = await conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE consumer = %s").format(
        sql.Identifier(schema, table)), [consumer])
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def print_parked(database_url: str, schema: str, consumer: str) -> int:
    """Prints the parked events of a consumer, and how many messages it rejected (for its service's
    CLI); returns how many of both there are."""
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        events = await parked_events(conn, schema, consumer)
        rejected = await count_rejected(conn, schema, consumer)
    for e in events:
        print(f"{e.sequence}\t{e.parked_at:%Y-%m-%d %H:%M:%S}\t{e.event_type}\ttask {e.task_id} v{e.version}\t"
              f"{e.subject}\t{e.reason}")
    print(f"{len(events)} parked event(s) in {schema}.stream_parked and {rejected} rejected message(s) in "
          f"{schema}.stream_rejected for consumer {consumer}")
    return len(events) + rejected


def _q(template: str, schema: str) -> sql.Composed:
    return sql.SQL(template).format(schema=sql.Identifier(schema))


__all__ = ["Isolated", "Parked", "ParkedEvent", "PoisonBatch", "count_parked", "count_rejected", "message_specific",
           "park", "parked_events", "poison", "print_parked"]
