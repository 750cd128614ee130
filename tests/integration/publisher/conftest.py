"""The publisher on real PostgreSQL and NATS: a commitments store in the test's own schema, a stream
under the test's own subject prefix (deleted afterwards), and readers of what the stream holds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.bootstrap import build_app
from commitments.persistence.signing import EventSigner
from commitments.publisher.config import PublisherSettings
from shared.messaging import connect
from shared.subjects import Subjects
from tests.integration.publisher.stream import delete_streams


@pytest.fixture
def settings(database_url: str, nats_url: str, pg_schema: str, subject_prefix: str) -> PublisherSettings:
    return PublisherSettings(database_url=database_url, nats_url=nats_url, db_schema=pg_schema,
                             subject_prefix=subject_prefix, ack_timeout=5.0)


@pytest.fixture
def subjects(settings: PublisherSettings) -> Subjects:
    return Subjects(settings.org, settings.subject_prefix)


@pytest.fixture
def signer() -> EventSigner:
    return EventSigner.generate()


@pytest.fixture
def store(settings: PublisherSettings, signer: EventSigner) -> Iterator[CommitmentsApp]:
    app = build_app(settings, signer=signer)
    yield app
    app.close()


@pytest.fixture
def writer(store: CommitmentsApp) -> CommandBatcher:
    return CommandBatcher(store)


@pytest.fixture
async def cleanup_streams(settings: PublisherSettings, subjects: Subjects) -> AsyncIterator[list[str]]:
    """NATS URLs whose streams of this test's prefix are deleted at teardown (the shared server's by default)."""
    urls = [settings.nats_url]
    yield urls
    for url in urls:
        nc: Any = await connect(url, "test-cleanup", attempts=1)
        try:
            await delete_streams(nc.jetstream(), subjects)
        finally:
            await nc.close()
