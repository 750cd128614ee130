"""The publisher: follows the notification log and publishes every event to JetStream, in order,
exactly once on the stream, whatever crashes or goes away in between.

    connect → ensure the streams → reconcile (where does the stream end?) → follow:
        read the events after that point → send them as a window (many in flight)
        → settle the oldest window (all acknowledged, in sequence) → record the position
        → nothing more to read: wait for a commit (LISTEN/NOTIFY)

Any failure of NATS (down, refused, no ack in time) or of PostgreSQL closes the link, waits with
backoff and starts over from "connect": since the stream is asked where it ends, nothing is
skipped and nothing is sent twice. It never runs inside an HTTP request: the API only records
events, and this process publishes them, so a NATS outage delays events but loses none.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass

import nats.errors
import psycopg
from eventsourcing.persistence import PersistenceError

from commitments.publisher.link import JetStreamLink, LinkLost, PublishRefused
from commitments.publisher.log import NotificationLog
from commitments.publisher.position import Position, PositionStore
from commitments.publisher.reconcile import check_end, stream_end
from commitments.publisher.waker import Waker
from commitments.publisher.windows import OutOfStep, Window, send, settle
from shared.messaging import ensure_all_streams
from shared.subjects import Subjects

log = logging.getLogger(__name__)


class StreamChanged(RuntimeError):
    """The stream no longer ends where the publisher left it (deleted, recreated, lost its tail)."""


TRANSIENT = (LinkLost, PublishRefused, OutOfStep, StreamChanged, TimeoutError, OSError, nats.errors.Error,
             PersistenceError, psycopg.Error)


@dataclass(frozen=True)
class Tuning:
    window: int = 500  # events per read and per publish window
    windows_in_flight: int = 2  # the next window goes out while the previous one's acks come back
    ack_timeout: float = 10.0
    idle_check: float = 5.0  # while idle, check this often that the stream still ends where we left it
    replicas: int = 1


class Publisher:
    def __init__(self, log_: NotificationLog, positions: PositionStore, waker: Waker, subjects: Subjects,
                 nats_url: str, tuning: Tuning | None = None) -> None:
        self.log, self.positions, self.waker, self.subjects = log_, positions, waker, subjects
        self.nats_url, self.tuning = nats_url, tuning or Tuning()
        self.published = Position(0, 0)  # last acknowledged, for tests, benchmarks and logs
        self.progress = asyncio.Event()  # set whenever `published` moves
        self._unrecorded = asyncio.Event()
        self._recorded: Position | None = None

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.to_thread(self.positions.create_table)
        await self.waker.start()
        recorder = asyncio.create_task(self._record_positions(), name="publisher-positions")
        delay = 0.2
        try:
            while not stop.is_set():
                before = self.published
                try:
                    await self._session(stop)
                except TRANSIENT as error:
                    delay = 0.2 if self.published != before else min(delay * 2, 5.0)
                    log.warning("publishing interrupted (%s: %s); starting over in %.1fs",
                                type(error).__name__, error, delay)
                    await _sleep_unless(stop, delay)
        finally:
            recorder.cancel()
            await self.waker.stop()
            await asyncio.to_thread(self._record_latest)

    async def _session(self, stop: asyncio.Event) -> None:
        link = await JetStreamLink.open(self.nats_url, name=f"camket-publisher-{self.subjects.org}")
        try:
            await ensure_all_streams(link.js, self.subjects, self.tuning.replicas)
            cursor = await self._reconcile(link)
            log.info("publishing to %s (NATS %s) after notification %d", self.stream, link.server_version,
                     cursor.notification_id)
            await self._follow(link, cursor, stop)
        finally:
            await link.close()

    @property
    def stream(self) -> str:
        return self.subjects.events_stream

    async def _reconcile(self, link: JetStreamLink) -> Position:
        end = await stream_end(link.js, self.stream, self.subjects.org_task_events)
        store_id = await asyncio.to_thread(self.log.event_id_at, end.position.notification_id) if (
            end.position.notification_id) else None
        recorded = await asyncio.to_thread(self.positions.load)
        check_end(end, store_id, recorded, self.stream)
        cursor = Position(end.position.notification_id, end.last_seq)
        self._published(cursor)
        return cursor

    async def _follow(self, link: JetStreamLink, cursor: Position, stop: asyncio.Event) -> None:
        in_flight: deque[Window] = deque()
        while not stop.is_set():
            self.waker.clear()  # before reading: a commit after this read wakes the wait below
            batch = await asyncio.to_thread(self.log.read, cursor.notification_id, self.tuning.window)
            if batch:
                in_flight.append(await send(link, batch, cursor, self.stream))
                cursor = in_flight[-1].last
                if len(in_flight) >= self.tuning.windows_in_flight:
                    await self._settle(in_flight.popleft())
                continue
            while in_flight:
                await self._settle(in_flight.popleft())
            if not await self.waker.wait(self.tuning.idle_check) and not stop.is_set():
                await self._check_stream(link, cursor)
        while in_flight:  # stopping: let what was sent be acknowledged and recorded
            await self._settle(in_flight.popleft())

    async def _settle(self, window: Window) -> None:
        self._published(await settle(window, self.tuning.ack_timeout))

    async def _check_stream(self, link: JetStreamLink, cursor: Position) -> None:
        end = await stream_end(link.js, self.stream, self.subjects.org_task_events)
        if end.position.notification_id != cursor.notification_id:
            raise StreamChanged(f"{self.stream} now ends at notification {end.position.notification_id}, "
                                f"not {cursor.notification_id}")

    def _published(self, position: Position) -> None:
        self.published = position
        self.progress.set()
        self._unrecorded.set()

    async def _record_positions(self) -> None:
        """Writes the latest acknowledged position, coalescing: the pipeline never waits for it."""
        while True:
            await self._unrecorded.wait()
            self._unrecorded.clear()
            try:
                await asyncio.to_thread(self._record_latest)
            except (PersistenceError, psycopg.Error) as error:
                log.warning("could not record the position (%s); retrying", error)
                self._unrecorded.set()
                await asyncio.sleep(1.0)

    def _record_latest(self) -> None:
        if self.published != self._recorded:
            position = self.published
            self.positions.record(position)
            self._recorded = position

    async def wait_for(self, notification_id: int, timeout: float) -> None:
        """Until the stream has acknowledged every event up to `notification_id` (tests, benchmarks)."""
        async with asyncio.timeout(timeout):
            while self.published.notification_id < notification_id:
                self.progress.clear()
                await self.progress.wait()


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
