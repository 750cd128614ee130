"""One session's loop: take batches from the puller and commit them in order, each batch prepared
(decoded, and planned in the plain case) while the one before it is still in its transaction."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime

from nats.aio.client import Client
from nats.aio.msg import Msg

from shared import faults
from shared.stream_consumer.batch import BatchOutcome, Prepared, commit_batch, prepare
from shared.stream_consumer.memory import Memory
from shared.stream_consumer.parking import Isolated, Parked, message_specific, park, poison
from shared.stream_consumer.protocol import AsyncConn, BatchHandler, ConsumerOptions, Reposition, hook
from shared.stream_consumer.pull import Puller, sequences
from shared.stream_consumer.stats import ConsumerStats

ProgressCallback = Callable[[ConsumerStats], None]


class BatchLoop:
    def __init__(self, nc: Client, conn: AsyncConn, options: ConsumerOptions, handler: BatchHandler,
                 memory: Memory, stats: ConsumerStats, *, isolate_through: int = 0) -> None:
        self._nc, self._conn, self.options, self._handler = nc, conn, options, handler
        self._memory, self._stats = memory, stats
        # Up to this stream sequence, messages come one per batch and one that fails alone is parked.
        self._isolate_through = isolate_through
        self._committing: asyncio.Task[BatchOutcome] | None = None
        self._planned = False  # the batch in its transaction was planned (the memory is ahead of it)

    async def run(self, puller: Puller, stop: asyncio.Event, *, until_caught_up: bool,
                  on_progress: ProgressCallback | None, stream_created: datetime | None) -> bool:
        """True once caught up (with `until_caught_up`); False when stopped."""
        expected, reconnects = 1, self._nc.stats["reconnects"]
        try:
            while not stop.is_set():
                msgs = await puller.take(self.options.batch_size, self.options.idle_wait)
                if self._committing is not None and self._committing.done():  # a failure surfaces when idle
                    await self._finish(on_progress)
                if self._nc.stats["reconnects"] != reconnects:
                    raise Reposition("NATS reconnected: deliveries in flight may be lost")
                msgs, broken = _contiguous(msgs, expected)
                if msgs:
                    expected += len(msgs)
                    await self._submit(msgs, on_progress, stream_created)
                if broken:
                    raise Reposition(broken)
                if until_caught_up and not puller.buffered and await self._caught_up(msgs, expected - 1, on_progress):
                    return True
            return False
        finally:
            await self._settle()

    async def _caught_up(self, msgs: list[Msg], taken: int, on_progress: ProgressCallback | None) -> bool:
        """Nothing left to deliver, and everything delivered committed. The pending count a message
        carries is the server's at delivery and was seen one too high at the end of a stream: when a
        wait for more finds nothing, the consumer's own count is asked for."""
        if msgs and sequences(msgs[-1])[2] != 0:
            return False
        if not msgs:
            info = await self._nc.jetstream().consumer_info(self.options.stream, self.options.durable_name)
            if info.num_pending or (info.delivered is not None and info.delivered.consumer_seq != taken):
                return False  # more to come, or delivered and still on its way
        await self._finish(on_progress)
        return True

    async def _submit(self, msgs: list[Msg], on_progress: ProgressCallback | None,
                      stream_created: datetime | None) -> None:
        if self._committing is not None and not self._planned:
            await self._finish(on_progress)  # its outcome decides the memory this batch is planned on
        try:
            prepared = prepare(self.options, self._handler, msgs, self._memory)
        except Exception as error:
            await self._finish(on_progress)
            await self._poisoned(msgs, error, stream_created)
            raise
        await self._finish(on_progress)
        self._planned = prepared.plan is not None
        self._committing = asyncio.create_task(self._commit(prepared, stream_created))
        # Let the transaction send its statements now: it runs until it waits on PostgreSQL, which
        # then works on them while this loop prepares the next batch.
        await asyncio.sleep(0)

    async def _commit(self, batch: Prepared, stream_created: datetime | None) -> BatchOutcome:
        try:
            outcome = await commit_batch(self._conn, self.options, self._handler, batch, stream_created)
        except Exception as error:
            await self._poisoned(list(batch.msgs), error, stream_created)
            raise
        remembered = self._memory.position
        stale = outcome.found_position not in (None, remembered)
        if batch.plan is None and outcome.ordered is not None:
            self._memory.advance(outcome.ordered, outcome.held, outcome.released, outcome.position)
        if (committed := hook(self._handler, "committed")) is not None:
            committed()
        last = batch.msgs[-1]
        await last.ack()  # AckPolicy.ALL: one ack, after the commit, covers the whole batch
        self._stats.record(outcome, len(batch.msgs), sequences(last)[2])
        if faults.ARMED:
            await faults.batch_done("consumer")
        if stale:  # committed right (ordered against the database), but the memory is not: reload it
            raise Reposition(f"the committed position was {outcome.found_position}, not the "
                             f"{remembered} remembered: the read models were swapped (a rebuild)")
        if self._isolate_through and outcome.position >= self._isolate_through:
            raise Isolated(f"every message up to {self._isolate_through} was tried alone")
        return outcome

    async def _poisoned(self, msgs: list[Msg], error: Exception, stream_created: datetime | None) -> None:
        """A batch failed. If the message may be the cause: alone, it is parked (and the session starts
        again after it); in a batch, the batch is tried again one message at a time (PoisonBatch)."""
        if not message_specific(error):
            return
        if len(msgs) == 1 and sequences(msgs[0])[0] <= self._isolate_through:
            if (rollback := hook(self._handler, "rollback")) is not None:
                rollback()  # whatever it planned on the failed message is void
            if await park(self._conn, self.options, msgs[0], error, stream_created):
                self._stats.parked += 1
            await msgs[0].ack()
            raise Parked(f"stream sequence {sequences(msgs[0])[0]} parked") from error
        raise poison(msgs, error) from error

    async def _finish(self, on_progress: ProgressCallback | None) -> None:
        """Waits for the batch in its transaction (raising its error, if any)."""
        if self._committing is not None:
            committing, self._committing = self._committing, None
            await committing
            if on_progress is not None:
                on_progress(self._stats)

    async def _settle(self) -> None:
        """Leaving the loop: let a batch in flight end its transaction either way (never cancel it half-way
        through a statement), then void whatever the handler planned and did not see commit."""
        if self._committing is not None and not self._committing.done():
            with contextlib.suppress(Exception):
                await self._committing
        if (rollback := hook(self._handler, "rollback")) is not None:
            rollback()


def _contiguous(msgs: list[Msg], expected: int) -> tuple[list[Msg], str | None]:
    """The run of deliveries that follows on without a hole; a hole means a message was lost in
    transit (a reconnect), and acking past it (AckPolicy.ALL) would drop it for good."""
    for i, msg in enumerate(msgs):
        got = sequences(msg)[1]
        if got != expected + i:
            return msgs[:i], f"delivery {got} came where {expected + i} was due"
    return msgs, None
