"""The publisher: follows the notification log and publishes every event to JetStream, in order,
exactly once on the stream, whatever crashes or goes away in between.

    connect → ensure the streams → reconcile (where does the stream end?) → follow:
        read the events after that point (the next read runs while this window goes out)
        → send them as a window → settle the oldest window (stored, in sequence) → record the position
        → nothing more to read: wait for a commit (LISTEN/NOTIFY)

Any failure of NATS (down, refused, no answer in time) or of PostgreSQL ends the session: the link
is closed, and after a backoff everything starts over from "connect". Since the stream itself is
asked where it ends, nothing is skipped and nothing is sent twice. It never runs inside an HTTP
request: the API only records events, so a NATS outage delays events but loses none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass

import nats.errors
import psycopg
from eventsourcing.persistence import PersistenceError

from commitments.publisher.lease import Lease, LeaseLost
from commitments.publisher.link import JetStreamLink, LinkLost, PublishRefused
from commitments.publisher.outgoing import Outgoing
from commitments.publisher.position import Position, PositionKeeper, PositionStore
from commitments.publisher.reader import EventReader, WorkerLost
from commitments.publisher.reconcile import check_end, check_sole_writer, stream_end
from commitments.publisher.waker import Waker
from commitments.publisher.windows import Cursor, Guard, OutOfStep, Window, send, settle
from shared import faults
from shared.messaging import ensure_all_streams
from shared.subjects import Subjects

log = logging.getLogger(__name__)


class StreamChanged(RuntimeError):
    """The stream no longer ends where the publisher left it (deleted, recreated, lost its tail)."""


TRANSIENT = (LinkLost, PublishRefused, OutOfStep, StreamChanged, TimeoutError, OSError, nats.errors.Error,
             PersistenceError, psycopg.Error, WorkerLost, LeaseLost)


@dataclass(frozen=True)
class Tuning:
    window: int = 500  # events per read and per publish window
    windows_in_flight: int = 2  # the next window goes out while the previous one is being stored
    ack_timeout: float = 10.0
    idle_check: float = 5.0  # while idle, check this often that the stream still ends where it did
    replicas: int = 1


class Publisher:
    def __init__(self, reader: EventReader, positions: PositionStore, waker: Waker, subjects: Subjects,
                 nats_url: str, tuning: Tuning | None = None, lease: Lease | None = None) -> None:
        self.reader, self.waker, self.subjects = reader, waker, subjects
        self.lease = lease  # None: the only instance (tests, tools); else it publishes only while it leads
        self.positions = PositionKeeper(positions)
        self.nats_url, self.tuning = nats_url, tuning or Tuning()
        self.caught_up_at = 0.0  # when a read last found nothing more to publish (Unix time; a metric)

    @property
    def leading(self) -> bool:
        return self.lease is None or self.lease.held

    @property
    def stream(self) -> str:
        return self.subjects.events_stream

    async def run(self, stop: asyncio.Event) -> None:
        await self.waker.start()
        recording = asyncio.create_task(self.positions.record_forever(), name="publisher-positions")
        delay = 0.2
        try:
            while not stop.is_set():
                before = self.positions.published
                try:
                    await self._led_session(stop)
                except TRANSIENT as error:
                    if isinstance(error, WorkerLost):
                        self.reader.reset()
                    delay = 0.2 if self.positions.published != before else min(delay * 2, 5.0)
                    log.warning("publishing interrupted (%s: %s); starting over in %.1fs",
                                type(error).__name__, error, delay)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), delay)
        finally:
            recording.cancel()
            if self.lease is not None:
                await self.lease.release()
            await self.waker.stop()
            with contextlib.suppress(psycopg.Error):
                await asyncio.to_thread(self.positions.record_latest)

    async def _led_session(self, stop: asyncio.Event) -> None:
        """A session while this instance holds the lease; one that loses it is cancelled at once."""
        if self.lease is None:
            return await self._session(stop)
        if not self.lease.held and not await self.lease.acquire(stop):
            return None
        session, watch = asyncio.ensure_future(self._session(stop)), asyncio.ensure_future(self.lease.watch())
        try:
            await asyncio.wait([session, watch], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (session, watch):
                task.cancel()
            await asyncio.gather(session, watch, return_exceptions=True)
        if watch.done() and not watch.cancelled() and watch.exception() is not None:
            raise LeaseLost(str(watch.exception()))
        return session.result()

    async def _session(self, stop: asyncio.Event) -> None:
        await asyncio.to_thread(self.positions.store.create_table)
        opening = asyncio.ensure_future(JetStreamLink.open(self.nats_url, f"camket-publisher-{self.subjects.org}"))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait([opening, stopping], return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not opening.done():  # stopped while NATS is unreachable (nats-py keeps trying to connect)
            opening.cancel()
            return
        link = opening.result()
        try:
            await ensure_all_streams(link.js, self.subjects, self.tuning.replicas)
            guard = Guard(self.subjects.org_task_events if await self._subject_guard(link) else None)
            cursor = await self._reconcile(link, guard)
            log.info("publishing to %s (NATS %s) after notification %d", self.stream, link.server_version,
                     cursor.notification_id)
            await self._follow(link, cursor, guard, stop)
        finally:
            await link.close()

    async def _subject_guard(self, link: JetStreamLink) -> bool:
        """Whether windows can chain on this organisation's subjects. A replicated stream refuses a
        second message expecting a subject sequence while the first is still in flight (measured on
        nats-server 2.15, R3: error 10164), so there the chain is on the stream's own sequence, which
        it checks against the messages in flight; this organisation must then be its only writer."""
        if not link.supports_subject_expectations():
            return False
        return (await link.js.stream_info(self.stream)).config.num_replicas in (None, 1)

    async def _reconcile(self, link: JetStreamLink, guard: Guard) -> Cursor:
        if guard.org_subjects is None:
            await check_sole_writer(link.js, self.stream, self.subjects)
        end = await stream_end(link.js, self.stream, self.subjects.org_task_events)
        at = end.cursor.notification_id
        store_id = await self.reader.event_id_at(at) if at else None
        check_end(end, store_id, await asyncio.to_thread(self.positions.store.load), self.stream)
        self.positions.advance(Position(at, end.cursor.own_seq))
        return end.cursor

    async def _follow(self, link: JetStreamLink, cursor: Cursor, guard: Guard, stop: asyncio.Event) -> None:
        in_flight: deque[Window] = deque()
        reading = self._read_after(cursor.notification_id)
        try:
            while not stop.is_set():
                batch = await reading
                if batch:
                    reading = self._read_after(batch[-1].notification_id)  # runs while this window goes out
                    in_flight.append(await send(link, batch, cursor, guard, self.stream))
                    cursor = in_flight[-1].last
                    if faults.ARMED:
                        await faults.batch_done("publisher")
                    if len(in_flight) >= self.tuning.windows_in_flight:
                        await self._settle(in_flight.popleft())
                    continue
                self.caught_up_at = time.time()
                while in_flight:
                    await self._settle(in_flight.popleft())
                if not await self.waker.wait(self.tuning.idle_check, stop):
                    await self._check_stream(link, cursor)
                reading = self._read_after(cursor.notification_id)
            while in_flight:  # stopping: let what was sent be stored and recorded
                await self._settle(in_flight.popleft())
        finally:
            reading.cancel()

    def _read_after(self, notification_id: int) -> asyncio.Future[list[Outgoing]]:
        self.waker.clear()  # before each read: a commit this read does not see wakes the wait for commits
        reading = asyncio.ensure_future(self.reader.read(notification_id, self.tuning.window))
        reading.add_done_callback(_observed)  # a read abandoned with its session must not log as unretrieved
        return reading

    async def _settle(self, window: Window) -> None:
        cursor = await settle(window, self.tuning.ack_timeout)
        self.positions.advance(Position(cursor.notification_id, cursor.own_seq))

    async def _check_stream(self, link: JetStreamLink, cursor: Cursor) -> None:
        end = await stream_end(link.js, self.stream, self.subjects.org_task_events)
        if end.cursor.notification_id != cursor.notification_id:
            raise StreamChanged(f"{self.stream} now ends at notification {end.cursor.notification_id}, "
                                f"not {cursor.notification_id}")

    def close(self) -> None:
        self.reader.close()

    async def wait_for(self, notification_id: int, timeout: float) -> None:
        """Until the stream holds every event up to `notification_id` (tests, benchmarks)."""
        async with asyncio.timeout(timeout):
            while self.positions.published.notification_id < notification_id:
                self.positions.moved.clear()
                await self.positions.moved.wait()


def _observed(future: asyncio.Future[list[Outgoing]]) -> None:
    if not future.cancelled():
        future.exception()
