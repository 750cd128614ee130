"""How the reporting rebuild's cost grows with the stream: every read model built from sequence 1 over
10,000, 100,000 and 1,000,000 task events (as bench_reporting's rebuild, one size each).

One scratch stream grows from point to point: synthetic programs (every event type, stories of up to
20 events, ~6,000 tasks per program so the mix is the same at every size) are published straight to it
in windows of 500; each point rebuilds into a fresh schema from sequence 1. The 1M point takes several
minutes (CAMKET_BENCH_GROWTH_SCALE shrinks every size for a trial): `python -m bench growth`.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
import uuid
from collections.abc import Iterator

import psycopg
from nats.aio.client import Client
from psycopg import sql

from bench.curve import Curve, Point, load_average, scaled, table
from bench.result import Result
from bench.scratch import DATABASE_URL, drop_schemas
from reporting.config import ReportingSettings
from reporting.gc_tuning import tune_gc
from reporting.integration.projections.evaluation import _FORGET, _RECOMPUTE
from reporting.integration.rebuild import build_schema
from shared.contracts.v1 import TaskEventV1
from shared.messaging import connect, ensure_stream, stream_config
from shared.subjects import Subjects
from tests.unit.reporting.builders import message
from tests.unit.reporting.program import synthetic_program

NATS_URL = os.environ.get("CAMKET_NATS_URL", "nats://127.0.0.1:4222")
SIZES = (10_000, 100_000, 1_000_000)
PROGRAM_TASKS, EVENTS_PER_TASK = 6_000, 20
EVENTS_PER_STORY = 17  # measured mean of synthetic_program's stories (a story ends once completed)


def run() -> list[Result]:
    tune_gc()  # as `camket reporting rebuild` does
    tag = uuid.uuid4().hex[:8]
    settings = ReportingSettings(database_url=DATABASE_URL, nats_url=NATS_URL, subject_prefix=f"benchgrow{tag}",
                                 db_schema=f"bench_grow_{tag}")
    try:
        points, cpu_points = asyncio.run(_measure(settings, scaled(SIZES)))
    finally:
        drop_schemas(settings.db_schema)
    curve = Curve("Reporting rebuild from sequence 1, every read model, by events on the stream", "events",
                  "events/s", "µs per event", lambda p: 1e6 / p.value, points, rate=True)
    seconds = Curve("Reporting rebuild: time to rebuild", "events", "s", "µs per event",
                    lambda p: 1e6 * p.value / p.size, [Point(p.size, p.size / p.value, p.load) for p in points])
    cpu = Curve("Reporting rebuild: CPU of the rebuilding process per event", "events", "µs CPU per event",
                "µs CPU per event", lambda p: p.value, cpu_points)
    for c in (curve, seconds, cpu):
        print("\n" + table(c) + "\n", flush=True)
    first, last = points[0], points[-1]
    return [Result(f"growth: reporting rebuild at {last.size:,} events", last.value, "events/s",
                   f"at {first.size:,} events", first.value)]


async def _measure(settings: ReportingSettings, sizes: list[int]) -> tuple[list[Point], list[Point]]:
    subjects = Subjects(settings.org, settings.subject_prefix)
    nc = await connect(settings.nats_url, "bench-growth-rebuild", attempts=3)
    js = nc.jetstream()
    await ensure_stream(js, stream_config(subjects.events_stream, [subjects.all_task_events]))
    points, cpu_points, published, seed = [], [], 0, 100
    try:
        for size in sizes:
            started = time.perf_counter()
            for chunk in _programs(size - published, seed):
                await _publish(nc, chunk, settings.subject_prefix)
                published, seed = published + len(chunk), seed + 1
            print(f"   stream: {published:,} events ({time.perf_counter() - started:.0f}s to publish)", flush=True)
            load = load_average()
            started, cpu = time.perf_counter(), time.process_time()
            stats = await build_schema(nc, settings, settings.db_schema)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            assert stats.applied == published, f"applied {stats.applied} of {published}"
            # The CPU this process spent (decoding, folding, encoding) tells its own cost from the machine's
            # load and PostgreSQL's share: wall time minus it is waiting (PostgreSQL, NATS, or no free core).
            print(f"   rebuild of {published:,}: {elapsed:.1f}s, {published / elapsed:,.0f} events/s, "
                  f"{1e6 * cpu / published:.0f} µs CPU per event in this process "
                  f"(load {load:.1f} before, {load_average():.1f} after)", flush=True)
            points.append(Point(published, published / elapsed, load))
            cpu_points.append(Point(published, 1e6 * cpu / published, load))
            await _evaluation_cost(settings)
    finally:
        await js.delete_stream(subjects.events_stream)
        await nc.close()
    return points, cpu_points


async def _evaluation_cost(settings: ReportingSettings) -> None:
    """The one statement of a batch whose work grows with the read model: the year-end evaluation counts
    are recomputed from task_status for every unit the batch touched (a 2,000-event batch touches every
    unit). EXPLAIN ANALYZE of it over every unit, rolled back, at this size."""
    schema = sql.Identifier(settings.db_schema)
    async with await psycopg.AsyncConnection.connect(settings.database_url) as conn:
        rows = await (await conn.execute(sql.SQL("SELECT DISTINCT org, program_year, unit FROM {}.task_status")
                                         .format(schema))).fetchall()
        tasks = (await (await conn.execute(sql.SQL("SELECT count(*) FROM {}.task_status").format(schema)))
                 .fetchone() or [0])[0]
        keys = [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]]
        await conn.execute(sql.SQL(_FORGET).format(schema=schema), keys)  # as the batch does first
        statement = sql.SQL(_RECOMPUTE).format(schema=schema)
        plan = await (await conn.execute(sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) ") + statement, keys)).fetchone()
        await conn.rollback()
    assert plan is not None
    ms = float(plan[0][0]["Execution Time"])
    batch = settings.rebuild_batch_size
    print(f"   evaluation recompute over {tasks:,} tasks in {len(rows)} units: {ms:.1f} ms per batch "
          f"= {1000 * ms / batch:.1f} µs per event at {batch:,} events per batch", flush=True)


def _programs(count: int, seed: int) -> Iterator[list[TaskEventV1]]:
    """Exactly `count` events, as whole programs of up to PROGRAM_TASKS tasks (a smaller last one)."""
    while count > 0:
        tasks = max(1, min(PROGRAM_TASKS, math.ceil(count / EVENTS_PER_STORY)))
        chunk = synthetic_program(tasks, EVENTS_PER_TASK, seed=seed)[:count]
        count -= len(chunk)
        seed += 1
        yield chunk


async def _publish(nc: Client, events: list[TaskEventV1], prefix: str) -> None:
    js = nc.jetstream()
    for start in range(0, len(events), 500):
        window = [message(e, prefix) for e in events[start:start + 500]]
        await asyncio.gather(*(js.publish(subject, data, headers=headers) for subject, headers, data in window))
