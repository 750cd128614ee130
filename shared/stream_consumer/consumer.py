"""StreamConsumer: the loop that turns stream messages into committed read-model changes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import psycopg
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, ConsumerInfo, DeliverPolicy
from nats.js.errors import NotFoundError

from shared.stream_consumer import store
from shared.stream_consumer.batch import BatchOutcome, Prepared, commit_batch, prepare
from shared.stream_consumer.order import ENTRY_TYPES, Delivery
from shared.stream_consumer.pull import ConsumerGone, Puller
from shared.stream_consumer.stats import ConsumerStats

log = logging.getLogger("shared.stream_consumer")
AsyncConn = psycopg.AsyncConnection[Any]


class BatchHandler(Protocol):
    async def apply(self, conn: AsyncConn, deliveries: Sequence[Delivery]) -> None:
        """Writes the read-model changes of `deliveries` (in order) inside the open transaction on
        `conn`. Must not commit, roll back or swallow database errors. A handler may also define
        `committed(self) -> None`, called once that transaction has committed (e.g. to keep a cache
        of committed state: anything remembered in `apply` is void until then)."""


@dataclass(frozen=True)
class ConsumerOptions:
    name: str  # the durable consumer's name and the key of the committed position
    stream: str
    filter_subject: str
    schema: str  # where the position lives: the read models' schema
    batch_size: int = 500
    ack_wait: float = 60.0
    idle_wait: float = 0.5  # how often an idle loop looks at `stop`
    entry_types: frozenset[str] = ENTRY_TYPES
    durable: str | None = None  # the NATS consumer's name when it differs from `name` (a rebuild's)

    @property
    def durable_name(self) -> str:
        return self.durable or self.name


class Reposition(RuntimeError):
    """Something between NATS and us is uncertain: restart from the committed position."""


ProgressCallback = Callable[[ConsumerStats], None]


class StreamConsumer:
    def __init__(self, nc: Client, database_url: str, options: ConsumerOptions, handler: BatchHandler) -> None:
        self._nc, self._url, self.options, self._handler = nc, database_url, options, handler
        self.stats = ConsumerStats(name=options.name)
        self._stream_created: datetime | None = None

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
            puller = Puller(self._nc, self.options.stream, self.options.durable_name, self.options.batch_size)
            await puller.open()
            try:
                return await self._loop(conn, puller, stop, until_caught_up, on_progress)
            finally:
                await puller.close()

    async def _loop(self, conn: AsyncConn, puller: Puller, stop: asyncio.Event, until_caught_up: bool,
                    on_progress: ProgressCallback | None) -> bool:
        """Takes batches and commits them in order; a batch is decoded while the one before it is
        still in its transaction (one at a time: only the committing task uses the connection)."""
        expected, reconnects = 1, self._nc.stats["reconnects"]
        committing: asyncio.Task[None] | None = None
        try:
            while not stop.is_set():
                msgs = await puller.take(self.options.batch_size, self.options.idle_wait)
                if committing is not None and committing.done():  # a failure surfaces even when idle
                    await _finish(committing, on_progress, self.stats)
                    committing = None
                if self._nc.stats["reconnects"] != reconnects:
                    raise Reposition("NATS reconnected: deliveries in flight may be lost")
                msgs, broken = _contiguous(msgs, expected)
                if msgs:
                    expected += len(msgs)
                    prepared = prepare(self.options.name, msgs)
                    await _finish(committing, on_progress, self.stats)
                    committing = asyncio.create_task(self._commit(conn, prepared))
                if broken:
                    raise Reposition(broken)
                if until_caught_up and msgs and msgs[-1].metadata.num_pending == 0 and not puller.buffered:
                    await _finish(committing, on_progress, self.stats)
                    return True
            return False
        finally:
            await _settle(committing)

    async def _commit(self, conn: AsyncConn, batch: Prepared) -> None:
        outcome: BatchOutcome = await commit_batch(conn, self.options, self._handler, batch, self._stream_created)
        committed = getattr(self._handler, "committed", None)
        if committed is not None:
            committed()
        last = batch.msgs[-1]
        await last.ack()  # AckPolicy.ALL: one ack, after the commit, covers the whole batch
        self.stats.record(outcome, len(batch.msgs), last.metadata.num_pending)

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


async def _finish(committing: asyncio.Task[None] | None, on_progress: ProgressCallback | None,
                  stats: ConsumerStats) -> None:
    """Waits for the batch in its transaction (raising its error, if any)."""
    if committing is not None:
        await committing
        if on_progress is not None:
            on_progress(stats)


async def _settle(committing: asyncio.Task[None] | None) -> None:
    """Leaving the loop: let a batch in flight end its transaction either way (never cancel it
    half-way through a statement); its error, if any, was or will be reported by the loop."""
    if committing is not None and not committing.done():
        with contextlib.suppress(Exception):
            await committing


def _contiguous(msgs: list[Msg], expected: int) -> tuple[list[Msg], str | None]:
    """The run of deliveries that follows on without a hole; a hole means a message was lost in
    transit (a reconnect), and acking past it (AckPolicy.ALL) would drop it for good."""
    for i, msg in enumerate(msgs):
        got = msg.metadata.sequence.consumer
        if got != expected + i:
            return msgs[:i], f"delivery {got} came where {expected + i} was due"
    return msgs, None


async def _sleep(stop: asyncio.Event, seconds: float) -> bool:
    """Sleeps unless stopped; True if `stop` was set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True
