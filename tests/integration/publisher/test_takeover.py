"""Two publishers on one stream: the second stands by while the first leads, takes over within
seconds once the first is SIGKILLed mid-load, and the stream ends up with every event exactly once,
in order. And a leader whose lease session is cut stops publishing until it wins the lease again."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from pathlib import Path

import httpx
import nats
import psycopg

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from devstack.net import free_port
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.integration.publisher.process import PublisherProcess
from tests.integration.publisher.running import running
from tests.integration.publisher.stream import (
    assert_exactly_once_in_order,
    last_published,
    read_stream,
    wait_until_published,
)
from tests.integration.publisher.test_crashes import steady_load
from tests.polling import eventually


def gauge(port: int, name: str) -> float:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    line = next(line for line in text.splitlines() if line.startswith(name + "{"))
    return float(line.rsplit(" ", 1)[1])


async def wait_log(process: PublisherProcess, needle: str, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while needle not in process.log():
            assert process.alive(), process.log()
            await asyncio.sleep(0.05)


async def test_a_standby_takes_over_from_a_sigkilled_leader_without_gap_or_duplicate(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        cleanup_streams: list[str], tmp_path: Path) -> None:
    ports = free_port(), free_port()
    first, second = (PublisherProcess(settings, tmp_path / f"publisher-{n}.log",
                                      {"CAMKET_COMMITMENTS_PUBLISHER_METRICS_PORT": str(port)})
                     for n, port in enumerate(ports))
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    stop = threading.Event()
    writing = asyncio.create_task(asyncio.to_thread(steady_load, writer, stop))
    try:
        first.start()
        await wait_log(first, "leading: holds the lease")
        second.start()
        await wait_log(second, "standing by")  # the point this test controls: the second has seen the lease taken
        async with asyncio.timeout(30):  # the leader has published a good part of the load
            while await last_published(js, subjects) < 1000:
                await asyncio.sleep(0.02)
        assert gauge(ports[0], "camket_publisher_leader") == 1 and gauge(ports[1], "camket_publisher_leader") == 0
        first.kill()
        killed = time.monotonic()
        await wait_log(second, "publishing to")  # it leads, and has asked the stream where it ends
        resumed = int(re.findall(r"publishing to \S+ \(NATS [^)]*\) after notification (\d+)", second.log())[-1])
        async with asyncio.timeout(20):  # and publishes what follows
            while await last_published(js, subjects) <= resumed:
                await asyncio.sleep(0.02)
        took_over = time.monotonic() - killed
        stop.set()
        await writing
        total = store.recorder.max_notification_id() or 0
        await wait_until_published(js, subjects, total, 30)
        assert_exactly_once_in_order(await read_stream(js, subjects.events_stream), store)
        assert gauge(ports[1], "camket_publisher_leader") == 1
        print(f"take-over: the standby published {took_over:.2f}s after the leader was SIGKILLed")
        assert second.stop() == 0, second.log()
        assert "Traceback" not in second.log()
    finally:
        stop.set()
        first.kill()
        second.stop()
        await nc.close()


async def test_a_leader_whose_lease_session_is_cut_stops_until_it_leads_again(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        cleanup_streams: list[str]) -> None:
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    try:
        async with running(settings) as publisher:
            assert publisher.lease is not None
            await asyncio.to_thread(load.tasks, writer, 5)
            await publisher.wait_for(5, 20)
            lease = publisher.lease
            async with await psycopg.AsyncConnection.connect(settings.database_url, autocommit=True) as rival:
                # Cut the leader's lease session, and take the lock the moment PostgreSQL frees it.
                await rival.execute("SELECT pg_terminate_backend(%s)", [lease.backend_pid])
                await rival.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [lease.name])
                await eventually(lambda: _true(lease.lost == 1 and not publisher.leading))
                await asyncio.to_thread(load.tasks, writer, 5, 5)
                tried = lease.attempts
                await eventually(lambda: _true(lease.attempts >= tried + 2))  # it asked twice since, and was refused
                assert await last_published(js, subjects) == 5  # so nothing was published while it did not lead
                await rival.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [lease.name])
            await publisher.wait_for(10, 20)
            assert publisher.leading
        assert_exactly_once_in_order(await read_stream(js, subjects.events_stream), store)
    finally:
        await nc.close()


async def _true(value: bool) -> bool:
    return value
