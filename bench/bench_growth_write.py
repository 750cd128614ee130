"""How the write path's cost grows with the number of registered tasks: HTTP commands/s and p50/p99
(32 clients, wrk, as bench_commitments measures them) at 1,000, 10,000 and 100,000 tasks.

One scratch store grows from point to point: the tasks are registered in process through the
CommandBatcher in batches of 1,000 (one transaction each), the scratch tables are analysed (what
autovacuum does in a deployment; the machine's PostgreSQL runs with autovacuum off, and without
statistics the batch loads scan the whole event table), then the service starts as its own process and
wrk posts progress reports round-robin over every task. Minutes in all: `python -m bench growth`.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from bench.curve import Curve, Point, load_average, scaled, table
from bench.loadgen import Load, post_round_robin, wrk_available
from bench.result import Result
from bench.scratch import DATABASE_URL, scratch
from bench.services import camket, free_port, process
from bench.soak.sample import children_by_parent, tree_cpu_seconds
from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Submission
from commitments.bootstrap import build_app
from commitments.config import CommitmentsSettings
from commitments.persistence.signing import EventSigner
from commitments.seed.loader import SEED_PRINCIPAL
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import mint_token
from shared.periods import PeriodKind, ReportingPeriod
from shared.vn import local_date, utc_now
from tests.unit.commitments.builders import register

SIZES = (1_000, 10_000, 100_000)
BATCH = 1_000  # a 5,000-command batch once stalled in psycopg's pipeline for minutes (see docs/benchmarks.md)
SECONDS = 10


def run() -> list[Result]:
    if not wrk_available():
        raise RuntimeError("wrk is not installed (apt-get install wrk); `make bench` installs it")
    with scratch("bench_growth") as (schema, state):
        loads = _measure(schema, state, scaled(SIZES))
    sizes = list(loads)
    rate = Curve("Write path: HTTP commands/s (32 clients) by registered tasks", "tasks", "req/s",
                 "µs per command", lambda p: 1e6 / p.value, [Point(n, loads[n][0].requests_per_second, loads[n][1])
                                                              for n in sizes], rate=True)
    p50 = Curve("Write path: command latency p50 by registered tasks", "tasks", "p50 ms", "ms per command",
                lambda p: p.value, [Point(n, loads[n][0].p50_ms, loads[n][1]) for n in sizes])
    p99 = Curve("Write path: command latency p99 by registered tasks", "tasks", "p99 ms", "ms per command",
                lambda p: p.value, [Point(n, loads[n][0].p99_ms, loads[n][1]) for n in sizes])
    cpu = Curve("Write path: the service's CPU per command (its process, whatever the machine's load)", "tasks",
                "µs CPU per command", "µs CPU per command", lambda p: p.value,
                [Point(n, loads[n][2], loads[n][1]) for n in sizes])
    for curve in (rate, p50, p99, cpu):
        print("\n" + table(curve) + "\n", flush=True)
    first, last = loads[sizes[0]][0], loads[sizes[-1]][0]
    return [Result(f"growth: HTTP commands/s at {sizes[-1]:,} tasks", last.requests_per_second, "req/s",
                   f"at {sizes[0]:,} tasks", first.requests_per_second),
            Result(f"growth: HTTP command latency p99 at {sizes[-1]:,} tasks", last.p99_ms, "ms",
                   f"at {sizes[0]:,} tasks", first.p99_ms, higher_is_better=False)]


def _measure(schema: str, state: Path, sizes: list[int]) -> dict[int, tuple[Load, float, float]]:
    keys = state / "keys"
    ensure_key_pair(keys, "jwt")
    signer = EventSigner.from_file(ensure_key_pair(keys, "event-signing"))
    settings = CommitmentsSettings(database_url=DATABASE_URL, db_schema=schema, state_dir=state)
    token = mint_token(load_private_key(keys / "jwt.pem"), issuer="camket-dev", audience="camket",
                       user_id="bench", name="Bench", unit="ql-cndmst", roles=["unit_staff"])
    today = local_date(utc_now())
    body = {"as_of": today.isoformat(), "period": ReportingPeriod.containing(PeriodKind.MONTH, today).code,
            "achieved_value": 5}
    env = {"CAMKET_DATABASE_URL": DATABASE_URL, "CAMKET_COMMITMENTS_DB_SCHEMA": schema,
           "CAMKET_STATE_DIR": str(state), "CAMKET_COMMITMENTS_WORKERS": os.environ.get("CAMKET_BENCH_WORKERS", "1")}
    task_ids: list[uuid.UUID] = []
    out: dict[int, tuple[Load, float, float]] = {}
    for size in sizes:
        _register(settings, signer, task_ids, size)
        port = free_port()
        paths = [f"/api/v1/tasks/{t}/progress-reports" for t in task_ids]
        with process(camket("serve", "commitments"), env | {"CAMKET_COMMITMENTS_PORT": str(port)},
                     f"http://127.0.0.1:{port}/health"):
            load, service = load_average(), _service_pid()
            cpu = tree_cpu_seconds(service)
            result = post_round_robin(f"http://127.0.0.1:{port}", paths, body, {"Authorization": f"Bearer {token}"},
                                      seconds=SECONDS)
            cpu = tree_cpu_seconds(service) - cpu
        if result.errors:
            raise RuntimeError(f"{result.errors} of {result.requests} requests failed at {size:,} tasks")
        print(f"   {size:,} tasks: {result.requests_per_second:,.0f} req/s, p50 {result.p50_ms:.1f} ms, "
              f"p99 {result.p99_ms:.1f} ms, {1e6 * cpu / result.requests:,.0f} µs of the service's CPU per command "
              f"(load {load:.1f})", flush=True)
        out[size] = (result, load, 1e6 * cpu / result.requests)
    return out


def _service_pid() -> int:
    """The service this process started (bench.services.process runs it as a child)."""
    ours = children_by_parent().get(os.getpid(), [])
    if len(ours) != 1:
        raise RuntimeError(f"expected one service process, found {ours}")
    return ours[0]


def _register(settings: CommitmentsSettings, signer: EventSigner, task_ids: list[uuid.UUID], size: int) -> None:
    """Registers tasks until there are `size`, in batches of one transaction each."""
    app = build_app(settings, signer=signer)
    batcher, started, before = CommandBatcher(app), time.perf_counter(), len(task_ids)
    try:
        while len(task_ids) < size:
            new = [uuid.uuid4() for _ in range(min(BATCH, size - len(task_ids)))]
            batcher.execute([Submission.of(register(t, ref=f"G-{len(task_ids) + n}"), SEED_PRINCIPAL)
                             for n, t in enumerate(new)])
            task_ids += new
    finally:
        app.close()
    print(f"   registered {size - before:,} tasks in {time.perf_counter() - started:.0f}s", flush=True)
    analyze(settings.database_url, settings.db_schema)


def analyze(database_url: str, schema: str) -> None:
    """Statistics for every table of the scratch schema, as autovacuum would have gathered by now."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])]
        for table in tables:
            conn.execute(sql.SQL("ANALYZE {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
