"""Freshness of the reporting read models: a command accepted by the commitments API (HTTP response
received) → its event committed in the reporting read models, at a steady 200 commands/s.

The commitments API and the publisher run as processes (`camket serve commitments`, `camket
publisher`) on a schema and subject prefix of their own; the reporting consumer runs in this process
and notes when each batch commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg

from bench.scratch import drop_schemas
from bench.services import camket, free_port, process
from commitments.application.batching import CommandBatcher
from commitments.bootstrap import build_app
from commitments.config import CommitmentsSettings
from commitments.persistence.signing import EventSigner
from reporting.config import ReportingSettings
from reporting.integration.consumer import consumer_options
from reporting.integration.handler import ReportingHandler, install
from reporting.integration.projections.base import Batch, Statement
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import mint_token
from shared.messaging import connect, ensure_all_streams, ensure_stream, stream_config
from shared.stream_consumer import StreamConsumer
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.unit.reporting.builders import TaskScript, at, message

RATE, SECONDS, TASKS, CONNECTIONS = 200, 15, 200, 8


class TimedHandler(ReportingHandler):
    """The reporting handler, noting when each event became visible (its transaction committed)."""

    def __init__(self, schema: str) -> None:
        super().__init__(schema)
        self.visible: dict[tuple[UUID, int], float] = {}
        self._sent: deque[list[tuple[UUID, int]]] = deque()  # batches sent and not yet committed

    def _statements(self, batch: Batch) -> list[Statement]:
        self._sent.append([(s.delivery.task_id, s.delivery.version) for s in batch.steps])
        return super()._statements(batch)

    def committed(self) -> None:
        if self._sent:
            now = time.perf_counter()
            for key in self._sent.popleft():
                self.visible.setdefault(key, now)
        super().committed()

    def rollback(self) -> None:
        self._sent.clear()
        super().rollback()


def stream_freshness(database_url: str, nats_url: str, tag: str) -> tuple[float, float, int]:
    """The reporting part alone: event stored on the stream (publish acked) → visible; (p50, p99, count)."""
    schema = f"bench_sfresh_{tag}"
    try:
        return asyncio.run(_stream_measure(database_url, nats_url, f"benchsfresh{tag}", schema))
    finally:
        drop_schemas(schema, database_url=database_url)


async def _stream_measure(database_url: str, nats_url: str, prefix: str, schema: str) -> tuple[float, float, int]:
    nc = await connect(nats_url, "bench-stream-freshness", attempts=3)
    subjects = Subjects("qt-skhcn", prefix)
    js = nc.jetstream()
    await ensure_stream(js, stream_config(subjects.events_stream, [subjects.all_task_events]))
    scripts = [TaskScript(f"F-{n:04d}", "vp") for n in range(TASKS)]
    try:
        async with _following(nc, database_url, prefix, schema) as handler:
            for script in scripts:
                await _publish(js, prefix, script.registered(at(date(2025, 1, 2))))
            published: dict[tuple[UUID, int], float] = {}
            started = time.perf_counter()
            for n in range(RATE * SECONDS):
                await asyncio.sleep(max(0.0, started + n / RATE - time.perf_counter()))
                event = scripts[n % TASKS].progress(5, date(2025, 3, 1))
                await _publish(js, prefix, event)
                published[(event.task_id, event.task_version)] = time.perf_counter()
            await asyncio.sleep(1.0)
    finally:
        await js.delete_stream(subjects.events_stream)
        await nc.close()
    return _percentiles(handler.visible, published)


async def _publish(js: Any, prefix: str, event: Any) -> None:
    subject, headers, data = message(event, prefix)
    await js.publish(subject, data, headers=headers)


@contextlib.asynccontextmanager
async def _following(nc: Any, database_url: str, prefix: str, schema: str) -> AsyncIterator[TimedHandler]:
    """The reporting consumer running in this process on `schema`, noting when events become visible."""
    settings = ReportingSettings(database_url=database_url, subject_prefix=prefix, db_schema=schema)
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await install(conn, schema)
    handler = TimedHandler(schema)
    stop = asyncio.Event()
    running = asyncio.create_task(StreamConsumer(nc, database_url, consumer_options(settings), handler).run(stop))
    try:
        yield handler
    finally:
        stop.set()
        await running


def _percentiles(visible: dict[tuple[UUID, int], float], since: dict[tuple[UUID, int], float]
                 ) -> tuple[float, float, int]:
    lags = sorted((visible[key] - at) * 1000 for key, at in since.items() if key in visible)
    if len(lags) < len(since):
        raise RuntimeError(f"{len(since) - len(lags)} events never got there")
    return statistics.median(lags), lags[int(len(lags) * 0.99) - 1], len(lags)


Figures = dict[str, tuple[float, float, int]]  # what → (p50 ms, p99 ms, count)


def freshness(database_url: str, nats_url: str, tag: str) -> Figures:
    schema = f"bench_fresh_{tag}"
    with tempfile.TemporaryDirectory() as state:
        try:
            return asyncio.run(_measure(database_url, nats_url, tag, schema, Path(state)))
        finally:
            drop_schemas(schema, f"{schema}_r", database_url=database_url)


async def _measure(database_url: str, nats_url: str, tag: str, schema: str, state: Path) -> Figures:
    prefix = f"benchfresh{tag}"
    settings = CommitmentsSettings(database_url=database_url, nats_url=nats_url, db_schema=schema, state_dir=state,
                                   subject_prefix=prefix)
    tasks = _register(settings, state)
    tokens = {unit: _token(state, unit) for unit in {unit for _, unit in tasks}}  # the API reads the key at start
    nc = await connect(nats_url, "bench-freshness", attempts=3)
    subjects = Subjects(settings.org, prefix)
    await ensure_all_streams(nc.jetstream(), subjects)
    port = free_port()
    env = {"CAMKET_DATABASE_URL": database_url, "CAMKET_NATS_URL": nats_url, "CAMKET_COMMITMENTS_DB_SCHEMA": schema,
           "CAMKET_STATE_DIR": str(state), "CAMKET_SUBJECT_PREFIX": prefix, "CAMKET_COMMITMENTS_PORT": str(port)}
    try:
        with process(camket("serve", "commitments"), env, f"http://127.0.0.1:{port}/health"), _publisher(env):
            return await _follow(nc, database_url, prefix, f"{schema}_r", tasks, f"http://127.0.0.1:{port}",
                                 tokens)
    finally:
        with contextlib.suppress(Exception):
            for stream in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
                await nc.jetstream().delete_stream(stream)
        await nc.close()


def _register(settings: CommitmentsSettings, state: Path) -> list[tuple[UUID, str]]:
    """(task, unit) of TASKS tasks registered straight through the application (not timed)."""
    app = build_app(settings, signer=EventSigner.from_file(ensure_key_pair(state / "keys", "event-signing")))
    try:
        return load.tasks(CommandBatcher(app), TASKS)
    finally:
        app.close()


@contextlib.contextmanager
def _publisher(env: dict[str, str]) -> Iterator[None]:
    proc = subprocess.Popen(camket("publisher"), env=os.environ | env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        proc.terminate()
        proc.wait(10)


def _token(state: Path, unit: str) -> str:
    key = load_private_key(ensure_key_pair(state / "keys", "jwt"))
    return mint_token(key, issuer="camket-dev", audience="camket", user_id=f"bench.{unit}", name="Bench", unit=unit,
                      roles=["unit_staff"])


async def _follow(nc: Any, database_url: str, prefix: str, schema: str, tasks: list[tuple[UUID, str]], base: str,
                  tokens: dict[str, str]) -> Figures:
    """Each command's accepted → published (the commitments side), published → visible (reporting),
    and the whole way."""
    published: dict[tuple[UUID, int], float] = {}

    async def seen(msg: Any) -> None:  # a plain subscriber: sees each event as NATS takes it in
        body = json.loads(msg.data)
        published.setdefault((UUID(body["task_id"]), body["task_version"]), time.perf_counter())

    sub = await nc.subscribe(f"{prefix}.v1.*.events.>", cb=seen)
    async with _following(nc, database_url, prefix, schema) as handler:
        while len(handler.visible) < len(tasks):  # the registrations, through the publisher
            await asyncio.sleep(0.1)
        accepted = await _load(base, tokens, tasks)
        await asyncio.sleep(1.0)
    await sub.unsubscribe()
    return {"accepted → visible": _percentiles(handler.visible, accepted),
            "accepted → published": _percentiles(published, accepted),
            "published → visible": _percentiles(handler.visible, {k: published[k] for k in accepted})}


async def _load(base: str, tokens: dict[str, str], tasks: list[tuple[UUID, str]]) -> dict[tuple[UUID, int], float]:
    """Progress reports at a steady RATE per second; returns when each was accepted, by (task, version).
    A few keep-alive connections written to directly: an HTTP client library in this process cost more
    CPU than the consumer being measured, and delayed it."""
    accepted: dict[tuple[UUID, int], float] = {}
    body = json.dumps({"as_of": "2025-03-01", "period": "2025-03", "achieved_value": 5}).encode()
    jobs: asyncio.Queue[int | None] = asyncio.Queue()
    host, port = base.removeprefix("http://").split(":")

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        while (n := await jobs.get()) is not None:
            task, unit = tasks[n % len(tasks)]
            writer.write(f"POST /api/v1/tasks/{task}/progress-reports HTTP/1.1\r\nHost: {host}\r\n"
                         f"Authorization: Bearer {tokens[unit]}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            status, answer = await _response(reader)
            if status != 200:
                raise RuntimeError(f"{status}: {answer!r}")
            accepted[(task, int(json.loads(answer)["version"]))] = time.perf_counter()
        writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for n in range(RATE * SECONDS):
        await asyncio.sleep(max(0.0, started + n / RATE - time.perf_counter()))
        jobs.put_nowait(n)
    for _ in workers:
        jobs.put_nowait(None)
    await asyncio.gather(*workers)
    return accepted


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    return int(lines[0].split()[1]), await reader.readexactly(length)
