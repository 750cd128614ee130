"""Every recorded event reaches the stream exactly once, in notification order, as a valid CloudEvent
whose data validates against its contract: the backlog at start, and what commits while it runs."""

from __future__ import annotations

import asyncio

import nats

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.integration.publisher.running import running
from tests.integration.publisher.stream import assert_exactly_once_in_order, assert_valid_cloudevents, read_stream


async def test_backlog_and_live_events_are_published_once_in_order(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        cleanup_streams: list[str]) -> None:
    owned = load.tasks(writer, 30)
    load.reports(writer, owned, rounds=3)  # a backlog of 120 events before the publisher starts
    async with running(settings) as publisher:
        await publisher.wait_for(store.recorder.max_notification_id() or 0, 20)
        more = await asyncio.to_thread(load.tasks, writer, 10, 30)
        await asyncio.to_thread(load.every_kind, writer, *more[0])
        await asyncio.to_thread(load.reassign_and_cancel, writer, more[1][0], "ql-kh")
        await asyncio.to_thread(load.reports, writer, more[2:], 2)
        await publisher.wait_for(store.recorder.max_notification_id() or 0, 20)
    nc = await nats.connect(settings.nats_url)
    try:
        messages = await read_stream(nc.jetstream(), subjects.events_stream)
    finally:
        await nc.close()
    assert_exactly_once_in_order(messages, store)
    assert_valid_cloudevents(messages, subjects)
    types = {m.headers["ce-type"].split(".")[3] for m in messages}
    assert len(types) == 10, types  # every public event type went out
