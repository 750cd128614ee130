"""The commitments application on the real PostgreSQL test database, in a schema of the test's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from commitments.application.service import CommitmentsApp
from commitments.bootstrap import build_app
from commitments.config import CommitmentsSettings
from commitments.persistence.signing import EventSigner

MakeApp = Callable[[], CommitmentsApp]


@pytest.fixture
def signer() -> EventSigner:
    return EventSigner.generate()


@pytest.fixture
def settings(database_url: str, pg_schema: str) -> CommitmentsSettings:
    return CommitmentsSettings(database_url=database_url, db_schema=pg_schema, db_pool_size=4)


@pytest.fixture
def make_app(settings: CommitmentsSettings, signer: EventSigner) -> Iterator[MakeApp]:
    """Each call is another replica of the service on the same store."""
    apps: list[CommitmentsApp] = []

    def make() -> CommitmentsApp:
        apps.append(build_app(settings, signer=signer))
        return apps[-1]

    yield make
    for app in apps:
        app.close()
