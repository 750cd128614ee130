"""The notifications service on the real PostgreSQL test database (a schema of the test's own) and
the real NATS (streams of the test's own subject prefix, deleted afterwards)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from notifications.bootstrap import Container, build
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import Principal, mint_token
from shared.contracts.v1 import TaskEventV1
from shared.envelope import CloudEvent, dataschema, task_event_source, task_event_type
from shared.messaging import connect, ensure_all_streams
from shared.stream_consumer import Delivery
from shared.subjects import Subjects
from tests import polling
from tests.unit.notifications.builders import REGISTERED

_sequence = itertools.count(1)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(REGISTERED)


@pytest.fixture
def settings(database_url: str, nats_url: str, pg_schema: str, subject_prefix: str,
             tmp_path: Path) -> NotificationsSettings:
    ensure_key_pair(tmp_path / "keys", "jwt")
    return NotificationsSettings(
        environment="test", database_url=database_url, nats_url=nats_url, db_schema=pg_schema,
        subject_prefix=subject_prefix, state_dir=tmp_path, db_pool_size=4, tick_seconds=0.2,
        delivery_poll_seconds=0.1, delivery_backoff_seconds=0.05, delivery_max_attempts=4,
        event_alert_horizon_days=3650, webhook_allow_networks=("127.0.0.1/32",))  # the tests' own receivers


@pytest.fixture
async def container(settings: NotificationsSettings, clock: ManualClock) -> AsyncIterator[Container]:
    built = build(settings, clock=clock)
    await built.open()
    yield built
    await built.close()


def token(settings: NotificationsSettings, role: str, unit: str, user: str = "") -> str:
    key = load_private_key(settings.keys_dir / "jwt.pem")
    return mint_token(key, issuer=settings.jwt_issuer, audience=settings.jwt_audience, user_id=user or f"{role}.user",
                      name="Nguyễn Thị Hoà", unit=unit, roles=[role])


@pytest.fixture
async def nc(settings: NotificationsSettings) -> AsyncIterator[Client]:
    client = await connect(settings.nats_url, "notifications-tests", attempts=3)
    subjects = Subjects(settings.org, settings.subject_prefix)
    await ensure_all_streams(client.jetstream(), subjects)
    yield client
    for stream in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
        with contextlib.suppress(Exception):
            await client.jetstream().delete_stream(stream)
    await client.close()


def envelope(event: TaskEventV1) -> CloudEvent:
    kind = str(type(event).model_fields["type"].default)
    return CloudEvent(id=str(event.event_id), source=task_event_source(event.org), type=task_event_type(kind),
                      time=event.recorded_at, subject=str(event.task_id), data=event.model_dump_json().encode(),
                      sequence=next(_sequence), dataschema=dataschema(kind))


async def publish(js: JetStreamContext, prefix: str, events: Iterable[TaskEventV1]) -> None:
    """As the commitments publisher does: CloudEvents binary mode on the task-event subject."""
    for event in events:
        kind = str(type(event).model_fields["type"].default)
        env = envelope(event)
        await js.publish(Subjects(event.org, prefix).task_event(event.unit, kind), env.data, headers=env.headers())


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 15.0) -> Any:
    return await polling.eventually(check, timeout)


async def alert_rows(container: Container, where: str = "TRUE", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    from psycopg.rows import dict_row

    async with container.db.transaction() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT * FROM alerts WHERE {where} ORDER BY seq", params)  # type: ignore[arg-type]
        return await cur.fetchall()


async def project(container: Container, events: Iterable[TaskEventV1]) -> None:
    """What the stream consumer does with a batch (its own bookkeeping aside)."""
    deliveries = [Delivery(sequence=i, subject="test", envelope=envelope(e), event=e, headers={})
                  for i, e in enumerate(events, 1)]
    async with container.db.transaction() as conn:
        await container.task_events.apply(conn, deliveries)


OFFICE = Principal("vp.nhung", "Trần Thị Nhung", "vp", frozenset({"office"}))
