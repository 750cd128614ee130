"""The service's background work in one process: the task-event consumer, the scheduler (with the
briefings), the alert outbox and the delivery worker, each its own asyncio task so that none can
hold up another (a slow webhook never delays the consumer).

The scheduler starts once the consumer has caught up with the stream: after downtime, events that
arrived meanwhile (a completion, a new deadline) must be in the facts before time rules judge them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from nats.aio.client import Client

from notifications.bootstrap import Container
from notifications.integration.alert_stream import AlertPublisher
from shared.messaging import connect, ensure_all_streams
from shared.stream_consumer import ConsumerStats, StreamConsumer, task_events
from shared.subjects import Subjects

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, container: Container) -> None:
        self.container = container
        self.stop_event = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.nc: Client | None = None
        self.consumer: StreamConsumer | None = None

    async def start(self) -> None:
        c, s = self.container, self.container.settings
        subjects = Subjects(s.org, s.subject_prefix)
        self.nc = await connect(s.nats_url, "camket-notifications")
        await ensure_all_streams(self.nc.jetstream(), subjects, s.stream_replicas)
        self.consumer = StreamConsumer(self.nc, s.database_url, task_events(
            subjects, name=s.consumer_durable, schema=s.db_schema), c.task_events)
        await self.consumer.install()
        publisher = AlertPublisher(c.db, self.nc.jetstream(), subjects, c.clock)
        self._spawn(publisher.run(self.stop_event, c.signals.alerts), "alert outbox")
        self._spawn(c.deliveries.run(self.stop_event, c.signals.deliveries, s.delivery_poll_seconds), "deliveries")
        self._spawn(self._consume_then_schedule(), "consumer")

    async def _consume_then_schedule(self) -> None:
        assert self.consumer is not None
        c = self.container
        await self.consumer.run(self.stop_event, until_caught_up=True, on_progress=self._committed)
        scheduler, briefings = c.scheduler, c.briefings
        self._spawn(_every(self.stop_event, c.settings.tick_seconds, scheduler.tick, briefings.send_due), "scheduler")
        await self.consumer.run(self.stop_event, on_progress=self._committed)

    def _committed(self, _: ConsumerStats) -> None:
        self.container.signals.queued()  # a batch may have fired alerts: the workers look now

    def _spawn(self, work: Awaitable[None], name: str) -> None:
        async def guarded() -> None:
            try:
                await work
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s stopped on an unexpected error", name)
        self.tasks.append(asyncio.create_task(guarded(), name=name))

    async def stop(self, grace: float = 5.0) -> None:
        self.stop_event.set()
        if self.tasks:
            _, pending = await asyncio.wait(self.tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self.nc is not None:
            with contextlib.suppress(Exception):
                await self.nc.close()


async def _every(stop: asyncio.Event, seconds: float, *jobs: Callable[[], Awaitable[object]]) -> None:
    while not stop.is_set():
        for job in jobs:
            try:
                await job()
            except Exception:  # PostgreSQL away: the next round catches up with whatever passed
                log.exception("%s failed; trying again in %.0fs", getattr(job, "__qualname__", job), seconds)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)
