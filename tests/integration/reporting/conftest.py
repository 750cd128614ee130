"""Real NATS and PostgreSQL: each test gets its own stream (its own subject prefix) and schema."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from shared.contracts.v1 import TaskEventV1
from shared.messaging import connect, ensure_stream, stream_config
from shared.subjects import Subjects
from tests.unit.reporting.builders import ORG, message

Publish = Callable[[Iterable[TaskEventV1]], Awaitable[list[int]]]


@pytest.fixture
def subjects(subject_prefix: str) -> Subjects:
    return Subjects(ORG, subject_prefix)


@pytest.fixture
async def nc(nats_url: str, subjects: Subjects) -> AsyncIterator[Client]:
    client = await connect(nats_url, "reporting-tests", attempts=3)
    js = client.jetstream()
    await ensure_stream(js, stream_config(subjects.events_stream, [subjects.all_task_events]))
    yield client
    try:
        await js.delete_stream(subjects.events_stream)
    finally:
        await client.close()


@pytest.fixture
def js(nc: Client) -> JetStreamContext:
    return nc.jetstream()


async def publish_events(js: JetStreamContext, prefix: str, events: Iterable[TaskEventV1], *, resend: str = "",
                         **header_overrides: str) -> list[int]:
    """Publishes as the commitments publisher does; returns the stream sequences. `resend` marks a
    re-send after the duplicate window: a new Nats-Msg-Id, so the stream keeps a second copy."""
    sequences = []
    for event in events:
        subject, headers, data = message(event, prefix)
        if resend:
            headers["Nats-Msg-Id"] += f"/{resend}"
        ack = await js.publish(subject, data, headers=headers | header_overrides)
        sequences.append(ack.seq)
    return sequences


@pytest.fixture
def publish(js: JetStreamContext, subject_prefix: str) -> Publish:
    async def run(events: Iterable[TaskEventV1]) -> list[int]:
        return await publish_events(js, subject_prefix, events)

    return run


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 10.0) -> Any:
    """Polls `check` until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true after {timeout}s: last result {result!r}")
        await asyncio.sleep(0.05)
