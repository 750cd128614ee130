"""A valid event that the handler cannot apply is parked, recorded and passed; the consumer goes on.

The handler here writes each event's note into a `varchar(40)` column: a longer note is refused by
PostgreSQL itself (a data exception), as a value the read models cannot hold would be."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from nats.aio.client import Client
from psycopg import sql

from reporting.api.app import create_app
from reporting.bootstrap import build
from shared.auth.devkeys import ensure_key_pair
from shared.stream_consumer import Delivery, StreamConsumer, task_events
from shared.stream_consumer.parking import parked_events, print_parked
from shared.subjects import Subjects
from tests.integration.reporting.conftest import Reporting, publish_events
from tests.polling import eventually
from tests.unit.reporting.builders import TaskScript

AsyncConn = psycopg.AsyncConnection[Any]


class NarrowNotes:
    """Records (task, version, note) with a plain INSERT: applying anything twice would fail on the key."""

    def __init__(self, schema: str) -> None:
        self.schema = schema

    async def install(self, database_url: str) -> None:
        async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
            await conn.execute(self._sql("CREATE TABLE {}.notes (task_id uuid, version int, note varchar(40), "
                                         "PRIMARY KEY (task_id, version))"))

    async def apply(self, conn: AsyncConn, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            await conn.execute(self._sql("INSERT INTO {}.notes VALUES (%s, %s, %s)"),
                               [d.task_id, d.version, getattr(d.event, "note", "")])

    async def rows(self, database_url: str) -> list[tuple[Any, ...]]:
        async with await psycopg.AsyncConnection.connect(database_url) as conn:
            cur = await conn.execute(self._sql("SELECT task_id, version, note FROM {}.notes ORDER BY version"))
            return await cur.fetchall()

    def _sql(self, template: str) -> sql.Composed:
        return sql.SQL(template).format(sql.Identifier(self.schema))


class PlanningNarrowNotes(NarrowNotes):
    def plan(self, deliveries: Sequence[Delivery]) -> Any:
        handler, batch = self, list(deliveries)

        class Planned:
            async def execute(self, conn: AsyncConn) -> None:
                await handler.apply(conn, batch)

        return Planned()


@dataclass
class Rig:
    nc: Client
    subjects: Subjects
    database_url: str
    schema: str
    handler: NarrowNotes
    consumer: StreamConsumer


@pytest.fixture(params=[NarrowNotes, PlanningNarrowNotes], ids=["applied", "planned"])
async def rig(request: pytest.FixtureRequest, nc: Client, database_url: str, subjects: Subjects,
              pg_schema: str) -> Rig:
    handler = request.param(pg_schema)
    await handler.install(database_url)
    consumer = StreamConsumer(nc, database_url, task_events(subjects, name="test", schema=pg_schema, batch_size=50),
                              handler)
    await consumer.install()
    return Rig(nc, subjects, database_url, pg_schema, handler, consumer)


def reports(task: TaskScript, notes: list[str]) -> list[Any]:
    start = date(2025, 2, 1)
    return [task.progress(float(i), start + timedelta(days=i), note=note) for i, note in enumerate(notes, 1)]


async def test_an_event_the_handler_refuses_is_parked_and_the_rest_applied_once(rig: Rig) -> None:
    task = TaskScript()
    notes = ["ngắn"] * 30
    notes[11] = "x" * 41  # too long for the column: PostgreSQL refuses this one event
    events = [task.registered(), *reports(task, notes)]
    sequences = await publish_events(rig.nc.jetstream(), rig.subjects.prefix, events)

    await rig.consumer.run(until_caught_up=True)

    rows = await rig.handler.rows(rig.database_url)
    assert [r[1] for r in rows] == [v for v in range(1, 32) if v != 13]  # the task's later events were not held
    assert rig.consumer.stats.parked == 1 and rig.consumer.stats.position == sequences[-1]
    async with await psycopg.AsyncConnection.connect(rig.database_url) as conn:
        parked = await parked_events(conn, rig.schema, "test")
    assert [(p.sequence, p.task_id, p.version, p.event_type) for p in parked] == [
        (sequences[12], task.task_id, 13, "ProgressReported")]
    assert "StringDataRightTruncation" in parked[0].reason
    assert await print_parked(rig.database_url, rig.schema, "test") == 1  # `camket reporting parked`
    assert rig.consumer.stats.status == "degraded"

    # A restarted process reports the parked event from the table, and nothing is applied twice.
    again = StreamConsumer(rig.nc, rig.database_url, rig.consumer.options, rig.handler)
    more = await publish_events(rig.nc.jetstream(), rig.subjects.prefix, reports(task, ["sau"]))
    await again.run(until_caught_up=True)
    assert again.stats.parked == 1 and again.stats.position == more[-1]
    assert len(await rig.handler.rows(rig.database_url)) == 31


async def test_two_bad_events_in_one_batch_are_both_parked(rig: Rig) -> None:
    task = TaskScript()
    notes = ["ngắn"] * 20
    notes[3] = notes[15] = "y" * 50
    await publish_events(rig.nc.jetstream(), rig.subjects.prefix, [task.registered(), *reports(task, notes)])
    await rig.consumer.run(until_caught_up=True)
    assert rig.consumer.stats.parked == 2
    assert len(await rig.handler.rows(rig.database_url)) == 19


async def test_reporting_health_is_degraded_while_an_event_is_parked(reporting: Reporting, tmp_path: Path) -> None:
    ensure_key_pair(tmp_path / "keys", "jwt")
    container = build(reporting.settings.model_copy(update={"consume": False, "state_dir": tmp_path}))
    app = create_app(container)
    await container.start()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reporting") as client:
            assert (await client.get("/health")).json()["status"] == "ok"
            async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as c:
                await c.execute(sql.SQL("INSERT INTO {}.stream_parked (consumer, sequence, subject, reason, headers, "
                                        "data) VALUES (%s, 7, 's', 'DataError: x', '{{}}', '')").format(
                    sql.Identifier(reporting.settings.db_schema)), [reporting.settings.consumer_name])
            health = (await client.get("/health")).json()
            assert (health["status"], health["parked"], health["rejected"]) == ("degraded", 1, 0)
    finally:
        await container.close()


async def test_a_systemic_error_is_retried_never_parked(nc: Client, database_url: str, subjects: Subjects,
                                                        pg_schema: str) -> None:
    handler = NarrowNotes(pg_schema)  # its table is not there yet: every batch fails, whatever it holds
    consumer = StreamConsumer(nc, database_url, task_events(subjects, name="test", schema=pg_schema, batch_size=50),
                              handler)
    await consumer.install()
    task = TaskScript()
    await publish_events(nc.jetstream(), subjects.prefix, [task.registered(), *reports(task, ["a", "b"])])
    stop = asyncio.Event()
    running = asyncio.create_task(consumer.run(stop))
    try:
        await eventually(lambda: _at_least(consumer.stats.repositions, 2), timeout=30)
        assert (consumer.stats.parked, consumer.stats.position) == (0, 0)
        await handler.install(database_url)  # the operator fixes the cause: the same events now apply
        await eventually(lambda: _at_least(consumer.stats.position, 3), timeout=30)
    finally:
        stop.set()
        await asyncio.wait_for(running, 15)
    assert consumer.stats.parked == 0 and len(await handler.rows(database_url)) == 3


async def _at_least(value: int, floor: int) -> bool:
    return value >= floor
