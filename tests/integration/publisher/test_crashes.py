"""The publisher SIGKILLed again and again while thousands of commands are recorded, and restarted
each time: the stream ends up with every event exactly once, in order (ids compared with the store).

Each kill lands where the test chose it: the publisher pauses (shared/faults.py) after a number of
windows drawn from a seeded generator, its last window sent and its acks not yet settled or recorded."""

from __future__ import annotations

import asyncio
import random
import threading
from pathlib import Path

import nats

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from shared.subjects import Subjects
from tests.faults import FaultPoint
from tests.integration.publisher import load
from tests.integration.publisher.process import PublisherProcess
from tests.integration.publisher.stream import (
    assert_exactly_once_in_order,
    read_stream,
    wait_until_published,
)

KILLS = 5
SEED = 20251204


def steady_load(writer: CommandBatcher, stop: threading.Event) -> None:
    """Registrations and reports in batches of 50, about 2,000 events a second, until told to stop."""
    round_ = 0
    while not stop.is_set():
        owned = load.tasks(writer, 25, start=round_ * 25)
        load.reports(writer, owned, rounds=3, batch=50)
        round_ += 1
        stop.wait(0.05)


async def test_sigkill_at_random_moments_loses_and_repeats_nothing(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        cleanup_streams: list[str], tmp_path: Path) -> None:
    publisher = PublisherProcess(settings, tmp_path / "publisher.log")
    rng = random.Random(SEED)
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    stop = threading.Event()
    writing = asyncio.create_task(asyncio.to_thread(steady_load, writer, stop))
    try:
        for _ in range(KILLS):
            fault = FaultPoint(tmp_path / "faults", "publisher", every=rng.randint(1, 4))
            publisher.start(fault.env())
            assert await fault.paused(timeout=20) == fault.every
            publisher.kill()
            fault.clear()
        stop.set()
        await writing
        publisher.start()
        total = store.recorder.max_notification_id() or 0
        assert total >= 3000, total
        await wait_until_published(js, subjects, total, 30)
        assert publisher.alive(), publisher.log()
        publisher.wait_ready()
        assert_exactly_once_in_order(await read_stream(js, subjects.events_stream), store)
        assert publisher.stop() == 0, publisher.log()  # SIGTERM: a clean stop
        assert "Traceback" not in publisher.log()
    finally:
        stop.set()
        publisher.stop()
        await nc.close()
