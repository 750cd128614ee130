"""The shared stream consumer on real NATS and PostgreSQL: exactly-once effect, resume from the
committed position, per-task order, rejected messages, a recreated stream, trace continuation."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from psycopg import sql

from shared.messaging import ensure_stream, stream_config
from shared.stream_consumer import Delivery, StreamConsumer, task_events
from shared.subjects import Subjects
from tests.integration.reporting.conftest import publish_events
from tests.polling import eventually
from tests.unit.reporting.builders import TaskScript, at

AsyncConn = psycopg.AsyncConnection[Any]


class Recorder:
    """A handler that records what it applied, in order, in its own table, and can be told to fail once."""

    def __init__(self, schema: str) -> None:
        self.schema, self.fail_next = schema, False

    async def install(self, database_url: str) -> None:
        async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
            await conn.execute(self._sql("CREATE TABLE {}.applied (task_id uuid, version int, sequence bigint, "
                                         "n bigserial, PRIMARY KEY (task_id, version))"))

    async def apply(self, conn: AsyncConn, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            # A plain INSERT: applying anything twice would violate the primary key.
            await conn.execute(self._sql("INSERT INTO {}.applied VALUES (%s, %s, %s)"),
                               [d.task_id, d.version, d.sequence])
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("the handler failed after writing (the transaction must roll back)")

    def _sql(self, template: str) -> sql.Composed:
        return sql.SQL(template).format(sql.Identifier(self.schema))


class PlanningRecorder(Recorder):
    """The same, planning each plain batch before its transaction (the path rebuilds take)."""

    def __init__(self, schema: str) -> None:
        super().__init__(schema)
        self.planned = 0

    def plan(self, deliveries: Sequence[Delivery]) -> Any:
        self.planned += 1
        recorder, batch = self, list(deliveries)

        class Planned:
            async def execute(self, conn: AsyncConn) -> None:
                await recorder.apply(conn, batch)

        return Planned()


async def applied(database_url: str, schema: str) -> list[tuple[Any, ...]]:
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute(sql.SQL("SELECT task_id, version, sequence FROM {}.applied ORDER BY n")
                                 .format(sql.Identifier(schema)))
        return await cur.fetchall()


@dataclass
class Rig:
    """A stream, a schema, a recording handler and a consumer over them."""

    nc: Client
    js: JetStreamContext
    subjects: Subjects
    database_url: str
    schema: str
    recorder: Recorder
    consumer: StreamConsumer

    async def publish(self, events: list[Any], *, resend: str = "", **headers: str) -> list[int]:
        return await publish_events(self.js, self.subjects.prefix, events, resend=resend, **headers)

    async def applied(self) -> list[tuple[Any, ...]]:
        return await applied(self.database_url, self.schema)

    def fresh_consumer(self) -> StreamConsumer:
        """What a restarted process builds: a new object over the same committed state."""
        return StreamConsumer(self.nc, self.database_url, self.consumer.options, self.recorder)


@pytest.fixture(params=[Recorder, PlanningRecorder], ids=["applied", "planned"])
async def rig(request: pytest.FixtureRequest, nc: Client, database_url: str, subjects: Subjects,
              pg_schema: str) -> Rig:
    recorder = request.param(pg_schema)
    await recorder.install(database_url)
    options = task_events(subjects, name="test", schema=pg_schema, batch_size=50)
    consumer = StreamConsumer(nc, database_url, options, recorder)
    await consumer.install()
    return Rig(nc, nc.jetstream(), subjects, database_url, pg_schema, recorder, consumer)


def story(reports: int) -> tuple[TaskScript, list[Any]]:
    task, start = TaskScript(), date(2025, 1, 20)
    events: list[Any] = [task.registered()]  # first: each call takes the next version
    events += [task.progress(float(i), start + timedelta(days=i)) for i in range(1, reports + 1)]
    return task, events


async def test_applies_each_event_once_and_resumes_from_the_committed_position(rig: Rig) -> None:
    _, events = story(120)
    sequences = await rig.publish(events[:80])
    await rig.consumer.run(until_caught_up=True)
    assert [r[2] for r in await rig.applied()] == sequences
    assert rig.consumer.stats.position == sequences[-1] and rig.consumer.stats.applied == 80

    # A new process (a new consumer object) continues where the committed position says.
    sequences += await rig.publish(events[80:])
    again = rig.fresh_consumer()
    await again.run(until_caught_up=True)
    rows = await rig.applied()
    assert [r[2] for r in rows] == sequences and [r[1] for r in rows] == list(range(1, 122))
    assert again.stats.applied == 41 and again.stats.duplicates == 0
    assert not isinstance(rig.recorder, PlanningRecorder) or rig.recorder.planned > 0


async def test_a_failed_batch_commits_nothing_and_is_applied_once_on_retry(rig: Rig) -> None:
    _, events = story(9)
    await rig.publish(events)
    rig.recorder.fail_next = True
    await rig.consumer.run(until_caught_up=True)
    assert len(await rig.applied()) == 10
    assert rig.consumer.stats.repositions == 1


async def test_redelivered_and_resent_events_change_nothing(rig: Rig) -> None:
    _, events = story(5)
    await rig.publish(events)
    await rig.consumer.run(until_caught_up=True)
    before = await rig.applied()

    # Re-sent after the duplicate window (a new Nats-Msg-Id), and a position lost: both dropped by version.
    await rig.publish(events[2:], resend="1")
    await rig.publish(events[3:4], resend="2")
    async with await psycopg.AsyncConnection.connect(rig.database_url, autocommit=True) as conn:
        await conn.execute(sql.SQL("UPDATE {}.stream_positions SET sequence = 0").format(sql.Identifier(rig.schema)))
    await rig.consumer.run(until_caught_up=True)
    assert await rig.applied() == before
    assert rig.consumer.stats.duplicates == len(events) + 4 + 1


async def test_a_missing_version_holds_the_task_until_it_arrives(rig: Rig) -> None:
    task, events = story(3)
    other = TaskScript(ref="VP-01", unit="vp")
    await rig.publish([events[0], events[2], events[3], other.registered()])  # version 2 is missing
    await rig.consumer.run(until_caught_up=True)
    rows = await rig.applied()
    assert [(r[0] == task.task_id, r[1]) for r in rows] == [(True, 1), (False, 1)]
    assert rig.consumer.stats.gaps == 2 and rig.consumer.stats.held == 2

    await rig.publish([events[1]])
    restarted = rig.fresh_consumer()
    await restarted.run(until_caught_up=True)
    mine = [r[1] for r in await rig.applied() if r[0] == task.task_id]
    assert mine == [1, 2, 3, 4] and restarted.stats.held == 0


async def test_a_message_that_is_no_task_event_is_kept_aside_and_skipped(rig: Rig) -> None:
    _, events = story(1)
    await rig.js.publish(rig.subjects.task_event("vp", "TaskRegistered"), b"{not json", headers={"ce-id": "x"})
    await rig.publish(events)
    await rig.consumer.run(until_caught_up=True)
    assert len(await rig.applied()) == 2
    async with await psycopg.AsyncConnection.connect(rig.database_url) as conn:
        cur = await conn.execute(sql.SQL("SELECT sequence, reason FROM {}.stream_rejected")
                                 .format(sql.Identifier(rig.schema)))
        ((sequence, reason),) = await cur.fetchall()
    assert sequence == 1 and "missing CloudEvents attributes" in reason


async def test_a_recreated_stream_is_replayed_from_its_start(rig: Rig) -> None:
    _, events = story(6)
    await rig.publish(events[:5])
    await rig.consumer.run(until_caught_up=True)
    await rig.js.delete_stream(rig.subjects.events_stream)
    await ensure_stream(rig.js, stream_config(rig.subjects.events_stream, [rig.subjects.all_task_events]))
    await rig.publish(events)  # the publisher republishes all history: sequences start again at 1
    await rig.consumer.run(until_caught_up=True)
    assert [r[1] for r in await rig.applied()] == list(range(1, 8))
    assert rig.consumer.stats.position == 7


async def test_live_events_arrive_while_running_and_stop_ends_the_loop(rig: Rig) -> None:
    _, events = story(3)
    stop = asyncio.Event()
    running = asyncio.create_task(rig.consumer.run(stop))
    await rig.publish(events)

    async def all_applied() -> bool:
        return len(await rig.applied()) == 4

    await eventually(all_applied)
    stop.set()
    await asyncio.wait_for(running, 5)


async def test_the_consumer_span_continues_the_publishers_trace(rig: Rig) -> None:
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        trace.set_tracer_provider(TracerProvider())
        provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    await rig.publish([TaskScript().registered(at(date(2025, 1, 2)))],
                      traceparent=f"00-{trace_id}-00f067aa0ba902b7-01")
    await rig.consumer.run(until_caught_up=True)
    (span,) = [s for s in exporter.get_finished_spans() if s.name == "test process TaskRegistered"]
    assert span.context is not None and format(span.context.trace_id, "032x") == trace_id
    assert span.parent is not None and format(span.parent.span_id, "016x") == "00f067aa0ba902b7"
