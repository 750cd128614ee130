"""Reporting: rebuild speed and freshness.

1. Rebuild: every read model built from stream sequence 1 over ≥ 100,000 task events (a synthetic
   program: 5,000 tasks × 20 events, every event type), beside the raw rate of fetching the same
   stream with nats-py (`fetch(500)`, ack each message) in the same run. Goal: at least as fast.
2. Freshness: command accepted by the commitments API → visible in the reporting read models, p50
   and p99, at a steady 200 commands/s, with the commitments API and the publisher running as
   processes and the reporting consumer in this process. Goal: p99 < 100 ms. Beside it, the
   reporting part alone: event stored on the stream → visible, at 200 events/s.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

from nats.aio.client import Client

from bench.profiling import phase
from bench.reporting_freshness import freshness, stream_freshness
from bench.result import Result
from bench.scratch import DATABASE_URL, drop_schemas
from reporting.config import ReportingSettings
from reporting.gc_tuning import tune_gc
from reporting.integration.rebuild import build_schema
from shared.messaging import connect, ensure_stream, stream_config
from shared.subjects import Subjects
from tests.unit.reporting.builders import message
from tests.unit.reporting.program import synthetic_program

NATS_URL = os.environ.get("CAMKET_NATS_URL", "nats://127.0.0.1:4222")
TASKS, EVENTS_PER_TASK = 6_000, 20  # about 102,000 events (a story ends once the task is completed)
PHASES = ("raw-fetch", "rebuild")  # profiled apart (bench.profiling)


def run() -> list[Result]:
    tune_gc()  # as `camket reporting rebuild` does
    tag = uuid.uuid4().hex[:8]
    settings = ReportingSettings(database_url=DATABASE_URL, nats_url=NATS_URL, subject_prefix=f"benchrep{tag}",
                                 db_schema=f"bench_rep_{tag}")
    try:
        rebuild = asyncio.run(_rebuild(settings))
        s50, s99, _ = stream_freshness(DATABASE_URL, NATS_URL, tag)
        figures = freshness(DATABASE_URL, NATS_URL, tag)
    finally:
        drop_schemas(settings.db_schema)
    p50, p99, count = figures["accepted → visible"]
    print(f"   freshness over {count} commands: " + "; ".join(
        f"{what} p50 {f[0]:.1f} ms p99 {f[1]:.1f} ms" for what, f in figures.items()), flush=True)
    return [*rebuild,
            Result("reporting freshness command accepted → visible, p50 (200 commands/s)", p50, "ms",
                   higher_is_better=False),
            Result("reporting freshness command accepted → visible, p99 (200 commands/s)", p99, "ms",
                   higher_is_better=False, goal="p99 < 100 ms"),
            Result("  of which accepted → published (commitments + publisher), p99", figures["accepted → published"][1],
                   "ms", higher_is_better=False),
            Result("  of which published → visible (reporting), p99", figures["published → visible"][1], "ms",
                   higher_is_better=False),
            Result("reporting freshness event on stream → visible, p50 (200 events/s)", s50, "ms",
                   higher_is_better=False),
            Result("reporting freshness event on stream → visible, p99 (200 events/s)", s99, "ms",
                   higher_is_better=False)]


async def _rebuild(settings: ReportingSettings) -> list[Result]:
    subjects = Subjects(settings.org, settings.subject_prefix)
    nc = await connect(settings.nats_url, "bench-reporting", attempts=3)
    js = nc.jetstream()
    await ensure_stream(js, stream_config(subjects.events_stream, [subjects.all_task_events]))
    try:
        count = await _publish(nc, settings.subject_prefix)
        print(f"   stream: {count:,} events", flush=True)
        with phase("raw-fetch"):
            raw = await _raw_fetch_and_ack(nc, subjects, count, 0)
        with phase("rebuild"):
            built = await _build(nc, settings, count)
    finally:
        await js.delete_stream(subjects.events_stream)
        await nc.close()
    return [Result(f"reporting rebuild from sequence 1, every read model ({count:,} events)", built,
                   "events/s", "nats-py fetch(500) + ack each", raw, goal="≥ 1× baseline")]


async def _publish(nc: Client, prefix: str) -> int:
    js = nc.jetstream()
    messages = [message(e, prefix) for e in synthetic_program(TASKS, EVENTS_PER_TASK)]
    for start in range(0, len(messages), 500):
        window = messages[start:start + 500]
        await asyncio.gather(*(js.publish(subject, data, headers=headers) for subject, headers, data in window))
    return len(messages)


async def _raw_fetch_and_ack(nc: Client, subjects: Subjects, count: int, attempt: int) -> float:
    js = nc.jetstream()
    durable = f"bench-raw-{attempt}"
    sub = await js.pull_subscribe(subjects.org_task_events, durable=durable, stream=subjects.events_stream)
    started, seen = time.perf_counter(), 0
    while seen < count:
        for msg in await sub.fetch(500, timeout=5):
            await msg.ack()
            seen += 1
    rate = seen / (time.perf_counter() - started)
    await js.delete_consumer(subjects.events_stream, durable)
    print(f"   raw fetch + ack: {rate:,.0f} msgs/s", flush=True)
    return rate


async def _build(nc: Client, settings: ReportingSettings, count: int) -> float:
    started = time.perf_counter()
    stats = await build_schema(nc, settings, settings.db_schema)
    rate = stats.delivered / (time.perf_counter() - started)
    assert stats.applied == count, f"applied {stats.applied} of {count}"
    print(f"   rebuild: {rate:,.0f} events/s", flush=True)
    return rate
