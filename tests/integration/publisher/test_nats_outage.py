"""NATS goes away in the middle of a load and comes back: the API keeps accepting commands meanwhile,
and afterwards the stream holds every event exactly once, in order."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import nats

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from devstack import NatsServer
from shared.subjects import Subjects
from tests.integration.publisher.http import api
from tests.integration.publisher.process import PublisherProcess
from tests.integration.publisher.stream import assert_exactly_once_in_order, read_stream, wait_until_published
from tests.integration.publisher.test_crashes import steady_load


async def test_nats_crash_during_load_delays_events_but_loses_and_repeats_none(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        tmp_path: Path) -> None:
    server = NatsServer(store_dir=tmp_path / "nats").start()
    settings = settings.model_copy(update={"nats_url": server.url})
    publisher = PublisherProcess(settings, tmp_path / "publisher.log")
    stop = threading.Event()
    try:
        publisher.start()
        async with api(settings, store, tmp_path / "keys") as http:
            writing = asyncio.create_task(asyncio.to_thread(steady_load, writer, stop))
            nc = await nats.connect(server.url)
            await wait_until_published(nc.jetstream(), subjects, 500, 20)
            await nc.close()
            server.kill()  # a crash, in the middle of the load and of the publisher's windows
            for number in range(20):  # the API does not depend on NATS
                task = await http.register(number)
                await http.report(task["task_id"], number)
            await asyncio.sleep(1.0)
            stop.set()
            await writing
            server.start()
        nc = await nats.connect(server.url)
        await wait_until_published(nc.jetstream(), subjects, store.recorder.max_notification_id() or 0, 30)
        assert publisher.alive(), publisher.log()
        assert_exactly_once_in_order(await read_stream(nc.jetstream(), subjects.events_stream), store)
        await nc.close()
        assert "publishing interrupted" in publisher.log()
    finally:
        stop.set()
        publisher.stop()
        server.stop()
