"""Replaying a consumer from a stream sequence, keeping exactly-once.

The committed position is moved back in a batch transaction (under the same batch lock the
consumer's own transactions take), while no instance of the consumer is active (its active lock is
held for the time of the change, so none can start half-way). The next start re-delivers from
there; events it already applied are dropped by task version, so nothing is applied twice: what a
replay brings back is what was held, rejected or skipped. To recompute the read models from the
events themselves, rebuild instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from shared.stream_consumer import store
from shared.stream_consumer.protocol import ConsumerOptions


class ReplayRefused(Exception):
    """The replay would break exactly-once (a consumer is active) or lose events (it moves forward)."""


@dataclass(frozen=True)
class Replay:
    consumer: str
    before: int  # the committed position it had
    after: int  # the one it has now: from_seq - 1


async def replay_from(database_url: str, options: ConsumerOptions, from_seq: int) -> Replay:
    if from_seq < 1:
        raise ReplayRefused("--from-seq must be 1 or more")
    schema, name = options.schema, options.name
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        await store.install(conn, schema)
        if not await store.try_lock_active(conn, schema, name):
            raise ReplayRefused(f"consumer {name} is running in {schema}: stop it (and its replicas) first, "
                                "then replay and start it again")
        async with conn.transaction():
            await store.lock_batches(conn, schema, name)
            before, created = await store.read_position(conn, schema, name)
            if from_seq - 1 > before:
                raise ReplayRefused(f"consumer {name} is at sequence {before}: a replay from {from_seq} would skip "
                                    f"{from_seq - 1 - before} messages; it can only move back")
            await store.write_position(conn, schema, name, stream=options.stream, sequence=from_seq - 1,
                                       stream_created=created, force=True)
    return Replay(name, before, from_seq - 1)  # the connection's end releases the active lock
