"""The publisher: throughput from a backlog of 20,000 stored events, beside raw nats-py publishing of
the same messages (publish_async in windows of 500, with Nats-Msg-Id) to the same server in the same
run; and the publish lag, commit → stored on the stream, while commands flow at a steady 200/s.

Goals: ≥ 80% of the raw windowed rate; lag p99 < 50 ms. Throughput is measured on the configured
NATS (CAMKET_NATS_URL) and on a throwaway nats-server with `sync_interval: always` (what a
deployment should run), each against its own raw baseline.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from concurrent.futures import Future
from pathlib import Path
from uuid import UUID

import nats
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy, PubAck
from nats.js.errors import NotFoundError

from bench.profiling import phase
from bench.result import Result
from bench.scratch import DATABASE_URL, drop_schemas
from commitments.application.background import BackgroundBatcher
from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Outcome, Submission
from commitments.application.service import CommitmentsApp
from commitments.bootstrap import build_app
from commitments.integration.translator import event_id
from commitments.persistence.signing import EventSigner
from commitments.publisher.config import PublisherSettings
from commitments.publisher.log import NotificationLog
from commitments.publisher.main import build_publisher
from commitments.publisher.outgoing import Outgoing
from devstack import NatsServer, scratch_dir
from shared.messaging import ensure_all_streams
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.integration.publisher.process import PublisherProcess
from tests.integration.publisher.stream import wait_until_published

NATS_URL = os.environ.get("CAMKET_NATS_URL", "nats://127.0.0.1:4222")
TASKS, REPORTS_PER_TASK = 400, 49  # 20,000 events
ROUNDS = 2
LAG_RATE, LAG_SECONDS = 200, 10
PHASES = ("raw", "publisher")  # what `python -m bench --profile publisher` profiles apart


def run() -> list[Result]:
    tag = uuid.uuid4().hex[:8]
    settings = PublisherSettings(database_url=DATABASE_URL, nats_url=NATS_URL, db_schema=f"bench_pub_{tag}",
                                 subject_prefix=f"benchpub{tag}")
    try:
        return asyncio.run(_measure(settings))
    finally:
        asyncio.run(_cleanup(settings))
        drop_schemas(settings.db_schema)


async def _measure(settings: PublisherSettings) -> list[Result]:
    app = build_app(settings, signer=EventSigner.generate())
    try:
        owned = load.tasks(CommandBatcher(app), TASKS)
        load.reports(CommandBatcher(app), owned, REPORTS_PER_TASK, batch=500)
        messages = _messages(NotificationLog(app, Subjects(settings.org, settings.subject_prefix)))
        print(f"   backlog: {len(messages):,} events", flush=True)
        results = await _throughput(settings, messages, "configured NATS", ROUNDS)
        with scratch_dir() as tmp:
            server = NatsServer(store_dir=tmp / "nats").start()
            try:
                fsync = settings.model_copy(update={"nats_url": server.url})
                results += await _throughput(fsync, messages, "sync_interval: always", ROUNDS - 1)
            finally:
                server.stop()
        with tempfile.TemporaryDirectory() as state:
            p50, p99, count = await measure_lag(settings, app, owned, Path(state))
    finally:
        app.close()
    print(f"   lag over {count} commands", flush=True)
    return [*results,
            Result(f"publish lag commit → stored on stream, p50 ({LAG_RATE} commands/s)", p50, "ms",
                   higher_is_better=False),
            Result(f"publish lag commit → stored on stream, p99 ({LAG_RATE} commands/s)", p99, "ms",
                   higher_is_better=False, goal="p99 < 50 ms")]


def _messages(log: NotificationLog) -> list[Outgoing]:
    out: list[Outgoing] = []
    while batch := log.read(out[-1].notification_id if out else 0, 1000):
        out += batch
    return out


async def _throughput(settings: PublisherSettings, messages: list[Outgoing], server: str,
                      rounds: int) -> list[Result]:
    raw, ours = [], []
    for _ in range(rounds):  # alternating, so that drifts of this noisy machine hit both alike
        with phase("raw"):
            raw.append(await raw_rate(settings, messages))
        with phase("publisher"):
            ours.append(await publisher_rate(settings, messages[-1].notification_id))
        print(f"   {server}: raw {raw[-1]:,.0f}/s, publisher {ours[-1]:,.0f}/s", flush=True)
    return [Result(f"publisher events/s, backlog of {len(messages):,} ({server})", statistics.median(ours),
                   "events/s", baseline="raw nats-py publish_async ×500 + Nats-Msg-Id",
                   baseline_value=statistics.median(raw), goal="≥ 80% of raw")]


async def raw_rate(settings: PublisherSettings, messages: list[Outgoing]) -> float:
    """The same messages, headers and bodies through nats-py's publish_async in windows of 500, into a
    stream of their own (created fresh, so nothing is a duplicate)."""
    subjects = Subjects(settings.org, settings.subject_prefix + "raw")
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    try:
        await _fresh_stream(js, subjects)
        swap = (settings.subject_prefix + ".", subjects.prefix + ".")
        prepared = [(m.subject.replace(*swap, 1), m.data, m.headers) for m in messages]  # outside the timing
        started = time.perf_counter()
        window: list[asyncio.Future[PubAck]] = []
        for subject, data, headers in prepared:
            window.append(await js.publish_async(subject, data, headers=headers))
            if len(window) == 500:
                await asyncio.gather(*window)
                window = []
        await asyncio.gather(*window)
        elapsed = time.perf_counter() - started
        await _delete_streams(js, subjects)
    finally:
        await nc.close()
    return len(messages) / elapsed


async def publisher_rate(settings: PublisherSettings, last: int) -> float:
    """The publisher from an empty stream to the whole backlog stored, timed from its first window's
    acknowledgement (worker processes started, pipeline full) to the last one's."""
    subjects = Subjects(settings.org, settings.subject_prefix)
    nc = await nats.connect(settings.nats_url)
    try:
        await _fresh_stream(nc.jetstream(), subjects)
        publisher = build_publisher(settings)
        stop = asyncio.Event()
        task = asyncio.create_task(publisher.run(stop))
        await publisher.wait_for(1, 60)
        started, first = time.perf_counter(), publisher.positions.published.notification_id
        await publisher.wait_for(last, 120)
        elapsed = time.perf_counter() - started
        stop.set()
        await task
        publisher.close()
        await _delete_streams(nc.jetstream(), subjects)
    finally:
        await nc.close()
    return (last - first) / elapsed


async def measure_lag(settings: PublisherSettings, app: CommitmentsApp, owned: list[tuple[UUID, str]],
                      state: Path) -> tuple[float, float, int]:
    """`camket publisher` as its own process; commands at a steady LAG_RATE per second, each committed on
    its own; lag = the stream's timestamp of the event (set when JetStream stores it, just before the
    ack) minus the moment the command's transaction returned."""
    subjects = Subjects(settings.org, settings.subject_prefix)
    publisher = PublisherProcess(settings, state / "publisher.log")
    publisher.start()
    nc = await nats.connect(settings.nats_url)
    stored: dict[str, float] = {}

    async def received(msg: Msg) -> None:
        stored[msg.headers["ce-id"] if msg.headers else ""] = msg.metadata.timestamp.timestamp()

    try:
        await wait_until_published(nc.jetstream(), subjects, app.recorder.max_notification_id() or 0, 60)
        sub = await nc.jetstream().subscribe(subjects.org_task_events, ordered_consumer=True, cb=received,
                                             deliver_policy=DeliverPolicy.NEW)
        committed = await _steady_commands(app, owned)
        async with asyncio.timeout(10):
            while not committed.keys() <= stored.keys():
                await asyncio.sleep(0.05)
        await sub.unsubscribe()
    finally:
        publisher.stop()
        await nc.close()
    lags = sorted((stored[e] - t) * 1000 for e, t in committed.items())
    return statistics.median(lags), lags[int(len(lags) * 0.99) - 1], len(lags)


async def _steady_commands(app: CommitmentsApp, owned: list[tuple[UUID, str]]) -> dict[str, float]:
    """LAG_RATE progress reports per second for LAG_SECONDS; the commit time of each one's event."""
    batcher = BackgroundBatcher(CommandBatcher(app))
    batcher.start()
    committed: dict[str, float] = {}

    def done(future: Future[Outcome]) -> None:  # runs on the writer thread, right after the commit
        at = time.time()
        if future.exception() is None:
            body = future.result().body
            committed[str(event_id(UUID(body["task_id"]), body["version"]))] = at

    pending = []
    started = time.perf_counter()
    try:
        for i in range(LAG_RATE * LAG_SECONDS):
            await asyncio.sleep(max(0.0, started + i / LAG_RATE - time.perf_counter()))
            task_id, unit = owned[i % len(owned)]
            command, who = load.report(task_id, unit, REPORTS_PER_TASK + 1 + i // len(owned))
            submission = Submission.of(command, who)
            submission.future.add_done_callback(done)
            pending.append(asyncio.ensure_future(batcher.submit(submission)))
        await asyncio.gather(*pending)
    finally:
        batcher.stop()
    return committed


async def _cleanup(settings: PublisherSettings) -> None:
    nc = await nats.connect(settings.nats_url)
    try:
        for prefix in (settings.subject_prefix, settings.subject_prefix + "raw"):
            await _delete_streams(nc.jetstream(), Subjects(settings.org, prefix))
    finally:
        await nc.close()


async def _fresh_stream(js: JetStreamContext, subjects: Subjects) -> None:
    await _delete_streams(js, subjects)
    await ensure_all_streams(js, subjects)


async def _delete_streams(js: JetStreamContext, subjects: Subjects) -> None:
    for name in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
        with contextlib.suppress(NotFoundError):
            await js.delete_stream(name)


if __name__ == "__main__":
    started = time.perf_counter()
    for result in run():
        print(result)
    print(f"{time.perf_counter() - started:.0f}s")
