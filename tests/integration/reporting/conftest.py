"""Real NATS and PostgreSQL: each test gets its own stream (its own subject prefix) and schema."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from psycopg_pool import AsyncConnectionPool

from reporting.config import ReportingSettings
from reporting.integration.consumer import reporting_consumer
from reporting.integration.handler import install
from reporting.persistence.reader import ReadModels
from shared.contracts.v1 import TaskEventV1
from shared.messaging import connect, ensure_stream, stream_config
from shared.stream_consumer import StreamConsumer
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




@dataclass
class Reporting:
    """The reporting read models in this test's schema, fed from this test's stream."""

    settings: ReportingSettings
    nc: Client
    reads: ReadModels

    async def publish(self, events: Iterable[TaskEventV1], *, resend: str = "") -> list[int]:
        return await publish_events(self.nc.jetstream(), self.settings.subject_prefix, events, resend=resend)

    async def catch_up(self) -> StreamConsumer:
        consumer = reporting_consumer(self.nc, self.settings)
        await consumer.run(until_caught_up=True)
        return consumer


@pytest.fixture
async def reporting(nc: Client, database_url: str, nats_url: str, subject_prefix: str,
                    pg_schema: str) -> AsyncIterator[Reporting]:
    settings = ReportingSettings(database_url=database_url, nats_url=nats_url, subject_prefix=subject_prefix,
                                 db_schema=pg_schema, batch_size=50)
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await install(conn, pg_schema)
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(database_url, min_size=1, max_size=4, open=False,
                                                         kwargs={"autocommit": True, "prepare_threshold": None})
    await pool.open()
    try:
        yield Reporting(settings, nc, ReadModels(pool, pg_schema))
    finally:
        await pool.close()
