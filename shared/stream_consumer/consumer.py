"""StreamConsumer: the loop that turns stream messages into committed read-model changes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace
from datetime import datetime

import psycopg
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, ConsumerInfo, DeliverPolicy
from nats.js.errors import NotFoundError

from shared.stream_consumer import store
from shared.stream_consumer.loop import BatchLoop, ProgressCallback
from shared.stream_consumer.memory import load as load_memory
from shared.stream_consumer.parking import Isolated, Parked, PoisonBatch, count_parked, count_rejected
from shared.stream_consumer.protocol import AsyncConn, BatchHandler, ConsumerOptions, Reposition
from shared.stream_consumer.pull import ConsumerGone, Puller
from shared.stream_consumer.stats import ConsumerStats

__all__ = ["BatchHandler", "ConsumerOptions", "ProgressCallback", "Reposition", "StreamConsumer"]

log = logging.getLogger("shared.stream_consumer")


class StreamConsumer:
    def __init__(self, nc: Client, database_url: str, options: ConsumerOptions, handler: BatchHandler) -> None:
        self._nc, self._url, self.options, self._handler = nc, database_url, options, handler
        self.stats = ConsumerStats(name=options.name)
        self._stream_created: datetime | None = None
        self._isolate_through = 0  # a failed batch's last sequence: its messages are tried one at a time

    async def install(self) -> None:
        """Creates the consumer's tables (idempotent)."""
        async with await psycopg.AsyncConnection.connect(self._url, autocommit=True) as conn:
            await store.install(conn, self.options.schema)

    async def remove_durable(self) -> None:
        """Deletes the NATS consumer (a one-off replay's, once done); the committed position stays."""
        with contextlib.suppress(NotFoundError):
            await self._nc.jetstream().delete_consumer(self.options.stream, self.options.durable_name)

    async def run(self, stop: asyncio.Event | None = None, *, until_caught_up: bool = False,
                  on_progress: ProgressCallback | None = None) -> None:
        """Consumes until `stop` is set (or, with `until_caught_up`, until nothing is pending).

        Any failure — PostgreSQL or NATS down, a reconnect, a lost message — ends the session without
        acking what it did not commit; the next session starts again from the committed position."""
        stop = stop or asyncio.Event()
        delay = 0.2
        while not stop.is_set():
            try:
                if await self._session(stop, until_caught_up, on_progress):
                    return
                delay = 0.2
            except (PoisonBatch, Parked, Isolated) as event:  # no waiting: nothing is wrong around us
                if isinstance(event, PoisonBatch):
                    self.stats.repositions += 1
                    self._isolate_through = max(self._isolate_through, event.last)
                    log.warning("consumer %s: %s; trying these messages one at a time", self.options.name, event)
                elif isinstance(event, Isolated):
                    self._isolate_through = 0
            except Exception as error:  # every failure is retried from the committed position
                self.stats.repositions += 1
                log.warning("consumer %s: %s: %s; starting again from the committed position in %.1fs",
                            self.options.name, type(error).__name__, error, delay,
                            exc_info=not isinstance(error, (Reposition, ConsumerGone, OSError, psycopg.Error)))
                await _sleep(stop, delay)
                delay = min(delay * 2, 10.0)

    async def _session(self, stop: asyncio.Event, until_caught_up: bool, on_progress: ProgressCallback | None) -> bool:
        async with await psycopg.AsyncConnection.connect(self._url, autocommit=True, prepare_threshold=None) as conn:
            if not await self._become_active(conn, stop):
                return True
            start = await self._start_position(conn) + 1
            info = await self._create_consumer(start)
            self.stats.pending = info.num_pending
            if until_caught_up and not info.num_pending:
                return True
            memory = await load_memory(conn, self.options.schema, self.options.name)
            isolating = self._isolate_through >= start
            self._isolate_through = self._isolate_through if isolating else 0
            options = replace(self.options, batch_size=1) if isolating else self.options
            loop = BatchLoop(self._nc, conn, options, self._handler, memory, self.stats,
                             isolate_through=self._isolate_through)
            puller = Puller(self._nc, options.stream, options.durable_name, options.batch_size)
            await puller.open()
            try:
                return await loop.run(puller, stop, until_caught_up=until_caught_up, on_progress=on_progress,
                                      stream_created=self._stream_created)
            finally:
                await puller.close()

    async def _become_active(self, conn: AsyncConn, stop: asyncio.Event) -> bool:
        """Waits for the lock that makes this the one active consumer; False if stopped first."""
        told = False
        while not await store.try_lock_active(conn, self.options.schema, self.options.name):
            if not told:
                log.info("consumer %s: another instance is active; standing by", self.options.name)
                told = True
            if await _sleep(stop, 2.0):
                return False
        return True

    async def _start_position(self, conn: AsyncConn) -> int:
        """The committed position — reset to 0 if the stream was recreated since it was written
        (its sequences restarted); the task versions then drop what was applied already."""
        info = await self._nc.jetstream().stream_info(self.options.stream)
        self._stream_created = info.created
        position, created = await store.read_position(conn, self.options.schema, self.options.name)
        recreated = created is not None and info.created is not None and created != info.created
        if position and (recreated or info.state.last_seq < position):
            log.warning("consumer %s: stream %s was recreated or lost its tail (our position %d, its last %d): "
                        "replaying from sequence 1; events already applied are dropped by task version",
                        self.options.name, self.options.stream, position, info.state.last_seq)
            async with conn.transaction():
                await store.lock_batches(conn, self.options.schema, self.options.name)
                await store.write_position(conn, self.options.schema, self.options.name, stream=self.options.stream,
                                           sequence=0, stream_created=info.created, force=True)
            position = 0
        self.stats.position = position
        self.stats.held = await store.count_held(conn, self.options.schema, self.options.name)
        self.stats.parked = await count_parked(conn, self.options.schema, self.options.name)
        self.stats.rejected = await count_rejected(conn, self.options.schema, self.options.name)
        return position

    async def _create_consumer(self, start: int) -> ConsumerInfo:
        """(Re)creates the durable consumer at `start`: the committed position decides, not the server."""
        js, o = self._nc.jetstream(), self.options
        with contextlib.suppress(NotFoundError):
            await js.delete_consumer(o.stream, o.durable_name)
        config = ConsumerConfig(
            name=o.durable_name, durable_name=o.durable_name, deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=start,
            ack_policy=AckPolicy.ALL, ack_wait=o.ack_wait, filter_subject=o.filter_subject,
            max_ack_pending=max(4 * o.batch_size, 1000), max_waiting=16,
            description=f"positioned from {o.schema}.stream_positions; recreated at every start")
        self.stats.consumer_starts += 1
        return await js.add_consumer(o.stream, config)


async def _sleep(stop: asyncio.Event, seconds: float) -> bool:
    """Sleeps unless stopped; True if `stop` was set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True
