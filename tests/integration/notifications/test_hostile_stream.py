"""Hostile text put directly on the stream (bypassing the API): the notifications consumer applies
every event and parks none; the task facts, the alerts' messages and details hold the text as
shared.storable says (a NUL as "␀"), and the alerts reach the alerts stream."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from nats.aio.client import Client
from psycopg import sql

from notifications.api.app import create_app
from notifications.bootstrap import Container
from notifications.config import NotificationsSettings
from notifications.integration.runtime import Runtime
from shared.storable import storable
from tests.integration.notifications.conftest import alert_rows, eventually, publish
from tests.unit.notifications.builders import APPROVAL, REGISTERED, Story, days

HOSTILE = ["bad\x00note", "tab\x0bdọc", "abc\u202edef", "x\uffffy", '=HYPERLINK("http://x")', "+1", "@SUM(A1)",
           "\t=1", "\r=1", "dài " * 3_000]


@pytest.fixture
async def runtime(container: Container, nc: Client) -> AsyncIterator[Runtime]:
    running = Runtime(container)
    await running.start()
    yield running
    await running.stop()


async def test_hostile_titles_and_reasons_become_alerts(settings: NotificationsSettings, container: Container,
                                                        nc: Client, runtime: Runtime) -> None:
    stories = []
    for i, text in enumerate(HOSTILE):
        story = Story(ref=f"HX-{i:02d}")
        registered = story.registered(title=text)  # first: each call takes the next version
        revised = story.revised(REGISTERED + days(10), new_minimum=8)
        revised = revised.model_copy(update={"reason": text, "approval": APPROVAL.model_copy(
            update={"document": text[:200]})})
        stories.append((story, text, [registered, revised]))
    await publish(nc.jetstream(), settings.subject_prefix, [e for _, _, events in stories for e in events])

    async def lowered() -> list[dict[str, object]]:
        rows = await alert_rows(container, "rule = 'target_lowered' AND published_at IS NOT NULL")
        return rows if len(rows) == len(HOSTILE) else []

    rows = await eventually(lowered, timeout=30)
    assert runtime.consumer is not None
    assert runtime.consumer.stats.applied == 2 * len(HOSTILE) and runtime.consumer.stats.parked == 0
    by_ref = {r["task_ref"]: r for r in rows}
    for story, text, _ in stories:
        alert = by_ref[story.ref]
        assert storable(text).strip()[:40] in str(alert["message"])
        assert alert["detail"]["reason"] == storable(text)  # type: ignore[index]
        assert "\x00" not in str(alert["message"])


async def test_health_is_degraded_while_an_event_is_parked(settings: NotificationsSettings, container: Container,
                                                           runtime: Runtime) -> None:
    app = create_app(container, background=False)  # an API-only replica: it reads the tables
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notifications") as client:
        assert (await client.get("/health")).json()["status"] == "ok"
        async with container.db.transaction() as conn:
            await conn.execute(sql.SQL("INSERT INTO {}.stream_parked (consumer, sequence, subject, reason, headers, "
                                       "data) VALUES (%s, 7, 's', 'DataError: x', '{{}}', '')").format(
                sql.Identifier(settings.db_schema)), [settings.consumer_durable])
        health = (await client.get("/health")).json()
    assert (health["status"], health["parked"], health["rejected"]) == ("degraded", 1, 0)
