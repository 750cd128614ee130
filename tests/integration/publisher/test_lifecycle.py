"""The publisher started before NATS is up: it keeps trying, publishes once NATS appears, and stops
at once when told to, even while it cannot connect."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import nats

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from commitments.publisher.main import build_publisher
from devstack import NatsServer
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.integration.publisher.stream import assert_exactly_once_in_order, read_stream


async def test_waits_for_nats_then_publishes_and_stops_promptly(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        tmp_path: Path) -> None:
    load.tasks(writer, 5)
    server = NatsServer(store_dir=tmp_path / "nats")  # not started yet: its port refuses connections
    publisher = build_publisher(settings.model_copy(update={"nats_url": server.url}))
    stop = asyncio.Event()
    running = asyncio.create_task(publisher.run(stop))
    try:
        await asyncio.sleep(1.0)
        assert publisher.positions.published.notification_id == 0
        server.start()
        await publisher.wait_for(5, 20)
        nc = await nats.connect(server.url)
        assert_exactly_once_in_order(await read_stream(nc.jetstream(), subjects.events_stream), store)
        await nc.close()

        server.stop()  # and now it cannot reach NATS again
        await asyncio.sleep(1.0)
        asked = time.monotonic()
        stop.set()
        await asyncio.wait_for(running, 5)
        assert time.monotonic() - asked < 2.0
    finally:
        stop.set()
        await asyncio.gather(running, return_exceptions=True)
        publisher.close()
        server.stop()
