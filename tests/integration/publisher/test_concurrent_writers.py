"""Many writers commit at once, each through its own connection pool, while the publisher follows
live: no event is passed over (the set of ids on the stream equals the store's, in order)."""

from __future__ import annotations

import asyncio
import random
import time

import nats

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.bootstrap import store_env, task_store
from commitments.persistence.signing import EventSigner
from commitments.publisher.config import PublisherSettings
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.integration.publisher.running import running
from tests.integration.publisher.stream import assert_exactly_once_in_order, read_stream

WRITERS = 8
SECONDS = 3.0


def write_for_a_while(settings: PublisherSettings, signer: EventSigner, number: int) -> int:
    """Small transactions (1–4 commands) back to back: the pattern where commit order and id order
    could differ, if inserts were not serialised."""
    app = task_store(store_env(settings) | {"CREATE_TABLE": "n"}, signer=signer)  # the store made them
    writer, rng, written = CommandBatcher(app), random.Random(number), 0
    try:
        owned = load.tasks(writer, 4, start=number * 1000)
        value, deadline = 1, time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            written += load.reports(writer, rng.sample(owned, rng.randint(1, 4)), rounds=1, first=value)
            value += 1
    finally:
        app.close()
    return written


async def test_concurrent_writers_never_make_the_publisher_skip_an_event(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, signer: EventSigner,
        cleanup_streams: list[str]) -> None:
    async with running(settings) as publisher:
        written = await asyncio.gather(*(asyncio.to_thread(write_for_a_while, settings, signer, n)
                                         for n in range(WRITERS)))
        await publisher.wait_for(store.recorder.max_notification_id() or 0, 20)
    assert sum(written) > 500, written
    nc = await nats.connect(settings.nats_url)
    try:
        assert_exactly_once_in_order(await read_stream(nc.jetstream(), subjects.events_stream), store)
    finally:
        await nc.close()
