"""A stream that loses its history (deleted and created anew) gets all of it again: while the
publisher runs (it notices when idle, or at its next publish) and when it starts."""

from __future__ import annotations

import asyncio

import nats

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from shared.messaging import ensure_all_streams
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.integration.publisher.running import running
from tests.integration.publisher.stream import assert_exactly_once_in_order, read_stream, wait_until_published


async def recreate(js: nats.js.JetStreamContext, subjects: Subjects) -> None:
    await js.delete_stream(subjects.events_stream)
    await ensure_all_streams(js, subjects)


async def test_a_recreated_stream_gets_all_history_again(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        cleanup_streams: list[str]) -> None:
    settings = settings.model_copy(update={"idle_check": 0.5})
    owned = load.tasks(writer, 40)
    load.reports(writer, owned, rounds=5)
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    try:
        async with running(settings) as publisher:
            await publisher.wait_for(store.recorder.max_notification_id() or 0, 20)
            await recreate(js, subjects)  # while idle: nothing new to publish
            await wait_until_published(js, subjects, store.recorder.max_notification_id() or 0, 20)
            assert_exactly_once_in_order(await read_stream(js, subjects.events_stream), store)

            await recreate(js, subjects)  # then a new event arrives before the idle check
            await asyncio.to_thread(load.reports, writer, owned[:1], 1, 200, 6)
            await wait_until_published(js, subjects, store.recorder.max_notification_id() or 0, 20)
            assert_exactly_once_in_order(await read_stream(js, subjects.events_stream), store)

        await recreate(js, subjects)  # and while the publisher is not running at all
        async with running(settings) as publisher:
            await wait_until_published(js, subjects, store.recorder.max_notification_id() or 0, 20)
        assert_exactly_once_in_order(await read_stream(js, subjects.events_stream), store)
    finally:
        await nc.close()
