"""An in-memory commitments store with a few tasks and events, and the publisher's view of it."""

from __future__ import annotations

from uuid import UUID

import pytest

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.bootstrap import memory_app
from commitments.persistence.signing import EventSigner
from commitments.publisher.log import NotificationLog
from shared.subjects import Subjects
from tests.integration.publisher import load

SUBJECTS = Subjects("qt-skhcn", "camket")


@pytest.fixture
def app() -> CommitmentsApp:
    return memory_app(signer=EventSigner.generate())


@pytest.fixture
def owned(app: CommitmentsApp) -> list[tuple[UUID, str]]:
    """Six tasks of five units, three progress reports each, interleaved: 24 events."""
    batcher = CommandBatcher(app)
    tasks = load.tasks(batcher, 6)
    load.reports(batcher, tasks, rounds=3, batch=4)
    return tasks


@pytest.fixture
def log(app: CommitmentsApp) -> NotificationLog:
    return NotificationLog(app, SUBJECTS)
