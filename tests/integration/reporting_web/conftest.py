"""The dashboard over real read models: the scenario's events go through the reporting service's own
projections into a PostgreSQL schema of this module, and the application is served with its clock
pinned to the scenario's day (10/07/2025)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from reporting.api.app import create_app
from reporting.bootstrap import build
from reporting.config import ReportingSettings
from reporting.integration.handler import ReportingHandler, install
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token
from shared.contracts.v1 import TaskEventV1
from shared.envelope import CloudEvent
from shared.stream_consumer import Delivery
from tests.unit.reporting.builders import message
from tests.unit.reporting_web.scenario import EVENTS, NOW

Headers = Callable[[str, str], dict[str, str]]


@pytest.fixture(scope="module")
def schema(database_url: str) -> Iterator[str]:
    name = f"t_web_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


async def project(database_url: str, schema: str, events: Sequence[TaskEventV1] = EVENTS) -> None:
    """Every event of the scenario through the projections, as the stream consumer applies a batch."""
    deliveries = []
    for sequence, event in enumerate(events, start=1):
        subject, headers, data = message(event)
        deliveries.append(Delivery(sequence=sequence, subject=subject, envelope=CloudEvent.from_message(headers, data),
                                   event=event, headers=headers))
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await install(conn, schema)
        async with conn.transaction():
            await ReportingHandler(schema).apply(conn, deliveries)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    state = tmp_path_factory.mktemp("state")
    ensure_key_pair(state / "keys", "jwt")
    return state


@pytest.fixture(scope="module")
def client(database_url: str, schema: str, keys: Path) -> Iterator[TestClient]:
    asyncio.run(project(database_url, schema))
    yield from serve(database_url, schema, keys)


def serve(database_url: str, schema: str, keys: Path) -> Iterator[TestClient]:
    """The dashboard over the read models of `schema`, its clock pinned to the scenario's day."""
    settings = ReportingSettings(database_url=database_url, db_schema=schema, state_dir=keys, consume=False)
    verifier = TokenVerifier(issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                             public_key_file=settings.jwt_public_key_path)
    app = create_app(build(settings, token_verifier=verifier))
    app.state.clock = lambda: NOW
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def signed_in(keys: Path) -> Headers:
    """Headers of a signed-in user of a role and unit (the pages take a bearer header as the cookie)."""
    key = load_private_key(keys / "keys" / "jwt.pem")

    def headers(role: str, unit: str) -> dict[str, str]:
        token = mint_token(key, issuer="camket-dev", audience="camket", user_id=f"{role}.{unit}",
                           name="Nguyễn Văn An", unit=unit, roles=[role])
        return {"Authorization": f"Bearer {token}"}

    return headers
