"""A real three-node NATS cluster on loopback ports, the events stream at R3, the publisher and both
consumers (reporting, notifications) as processes against it. Mid-load the node leading the stream's
replicas is SIGKILLed, then brought back: the stream holds every event exactly once, in order, and
both consumers reach its end with every task at the store's version (nothing lost, nothing applied twice)."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import nats
import nats.errors
import psycopg
import pytest
from nats.js import JetStreamContext
from psycopg import sql

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from devstack import NatsCluster
from shared.subjects import Subjects
from tests.e2e.support import ServiceProcess, free_port, prepare_state
from tests.integration.publisher.process import PublisherProcess
from tests.integration.publisher.stream import (
    assert_exactly_once_in_order,
    last_published,
    read_stream,
)
from tests.integration.publisher.test_crashes import steady_load

pytestmark = pytest.mark.cluster


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    nodes = NatsCluster(tmp_path / "nats").start()
    try:
        yield nodes
    finally:
        nodes.stop()


@pytest.fixture
def schemas(database_url: str) -> Iterator[tuple[str, str]]:
    names = (f"r_{uuid.uuid4().hex[:12]}", f"n_{uuid.uuid4().hex[:12]}")
    yield names
    with psycopg.connect(database_url, autocommit=True) as conn:
        for name in names:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


async def published(js: JetStreamContext, subjects: Subjects) -> int:
    """The stream's last notification id; 0 while the cluster cannot answer (a leader being elected,
    the client moving to another node)."""
    try:
        return await last_published(js, subjects)
    except (nats.errors.Error, TimeoutError):
        await asyncio.sleep(0.2)
        return 0


async def wait_published(js: JetStreamContext, subjects: Subjects, at_least: int, timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while await published(js, subjects) < at_least:
            await asyncio.sleep(0.05)


def store_versions(database_url: str, schema: str) -> dict[UUID, int]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(sql.SQL("SELECT originator_id, max(originator_version) FROM {}.commitments_events "
                                    "GROUP BY originator_id").format(sql.Identifier(schema))).fetchall()
    return {row[0]: row[1] for row in rows}


def consumer_state(database_url: str, schema: str, consumer: str) -> tuple[int, dict[UUID, int]]:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(sql.SQL("SELECT sequence FROM {}.stream_positions WHERE consumer = %s").format(
            sql.Identifier(schema)), [consumer]).fetchone()
        versions = conn.execute(sql.SQL("SELECT task_id, version FROM {}.stream_task_versions WHERE consumer = %s"
                                        ).format(sql.Identifier(schema)), [consumer]).fetchall()
    return (row[0] if row else 0), {r[0]: r[1] for r in versions}


async def consumers_reach(database_url: str, schemas: tuple[str, str], last_seq: int,
                          expected: dict[UUID, int]) -> None:
    """Both consumers commit up to the stream's end, with every task at the store's version."""
    for schema, name in ((schemas[0], "reporting"), (schemas[1], "notifications")):
        async with asyncio.timeout(90):
            while (await asyncio.to_thread(consumer_state, database_url, schema, name))[0] < last_seq:
                await asyncio.sleep(0.2)
        position, versions = consumer_state(database_url, schema, name)
        assert position == last_seq and versions == expected, name


async def kill_the_stream_leader_and_bring_it_back(cluster: NatsCluster, js: JetStreamContext,
                                                   subjects: Subjects) -> None:
    await wait_published(js, subjects, 1500, 60)  # mid-load: a good part published
    await cluster.wait_current(subjects.events_stream, 3)
    leader = cluster.by_name(await cluster.stream_leader(subjects.events_stream))
    reached = await published(js, subjects)
    leader.kill()
    await wait_published(js, subjects, reached + 1500, 60)  # publishing goes on with two nodes of three
    await asyncio.to_thread(leader.start)
    await cluster.wait_current(subjects.events_stream, 3, timeout=60)


async def test_killing_the_stream_leader_mid_load_loses_and_repeats_nothing(
        cluster: NatsCluster, settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp,
        writer: CommandBatcher, schemas: tuple[str, str], tmp_path: Path) -> None:
    settings = settings.model_copy(update={"nats_url": cluster.url})
    prepare_state(tmp_path)
    common = {"CAMKET_STATE_DIR": str(tmp_path), "CAMKET_DATABASE_URL": settings.database_url,
              "CAMKET_NATS_URL": cluster.url, "CAMKET_SUBJECT_PREFIX": subjects.prefix, "CAMKET_STREAM_REPLICAS": "3"}
    publisher = PublisherProcess(settings, tmp_path / "publisher.log", {"CAMKET_STREAM_REPLICAS": "3"})
    reporting = ServiceProcess(["reporting", "consume"], common | {"CAMKET_REPORTING_DB_SCHEMA": schemas[0]})
    port = free_port()
    notifications = ServiceProcess(["serve", "notifications", "--port", str(port)],
                                   common | {"CAMKET_NOTIFICATIONS_DB_SCHEMA": schemas[1]}, port=port)
    nc = await nats.connect(cluster.url.split(","))
    js = nc.jetstream()
    stop = threading.Event()
    writing = asyncio.create_task(asyncio.to_thread(steady_load, writer, stop))
    try:
        publisher.start()
        await wait_published(js, subjects, 1, 60)  # the publisher made the R3 stream
        assert (await js.stream_info(subjects.events_stream)).config.num_replicas == 3
        reporting.start()
        await asyncio.to_thread(notifications.start, 60)
        await kill_the_stream_leader_and_bring_it_back(cluster, js, subjects)
        stop.set()
        await writing
        total = store.recorder.max_notification_id() or 0
        await wait_published(js, subjects, total, 60)
        on_stream = await read_stream(js, subjects.events_stream)
        assert_exactly_once_in_order(on_stream, store)
        await consumers_reach(settings.database_url, schemas, on_stream[-1].seq,
                              store_versions(settings.database_url, settings.db_schema))
        assert publisher.alive() and reporting.proc is not None and reporting.proc.poll() is None
        assert notifications.proc is not None and notifications.proc.poll() is None
        assert "Traceback" not in publisher.log()
    finally:
        stop.set()
        await asyncio.gather(writing, return_exceptions=True)
        publisher.stop()
        reporting.stop()
        notifications.stop()
        await nc.close()
