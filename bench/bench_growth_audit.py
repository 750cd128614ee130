"""How the audit's reads grow with one task's history: as-of (p50, p95 of 30 instants), the full history
with field diffs, and the latest page of 500, for a task of 1,000, 10,000 and 100,000 events.

Each task is written as bench_audit writes its long one: through the domain and the signing store, a
progress report a minute, saved 1,000 events at a time (snapshots every 100 versions, as in service).
Minutes in all: `python -m bench growth`.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.bench_audit import START, _best, _Clock, _percentile, _task
from bench.curve import Curve, Point, load_average, scaled, table
from bench.result import Result
from bench.scratch import DATABASE_URL, scratch
from commitments.audit.application.service import AuditService
from commitments.audit.bootstrap import build_audit
from commitments.audit.config import AuditSettings
from commitments.bootstrap import build_app
from commitments.domain.clock import recording_clock
from commitments.persistence.signing import EventSigner
from shared.auth.devkeys import ensure_key_pair

SIZES = (1_000, 10_000, 100_000)
PROBES = 30
PAGE = 500
Figures = dict[str, Point]


def run() -> list[Result]:
    with scratch("bench_growth_audit") as (schema, state):
        figures = _measure(schema, state, scaled(SIZES))
    sizes = sorted(figures)
    curves = [
        Curve("Audit as-of by events on the task (p50 of 30 instants)", "events", "p50 ms", "µs per event",
              lambda p: 1000 * p.value / p.size, [figures[n]["as-of p50"] for n in sizes]),
        Curve("Audit as-of by events on the task (p95 of 30 instants)", "events", "p95 ms", "µs per event",
              lambda p: 1000 * p.value / p.size, [figures[n]["as-of p95"] for n in sizes]),
        Curve("Audit history with field diffs, every event", "events", "ms", "µs per event",
              lambda p: 1000 * p.value / p.size, [figures[n]["history"] for n in sizes]),
        Curve(f"Audit history page: the latest {PAGE} events", "events", "ms", f"µs per event shown ({PAGE})",
              lambda p: 1000 * p.value / PAGE, [figures[n]["page"] for n in sizes]),
    ]
    for curve in curves:
        print("\n" + table(curve) + "\n", flush=True)
    first, last = figures[sizes[0]], figures[sizes[-1]]
    return [Result(f"growth: as-of p50, one task with {sizes[-1]:,} events", last["as-of p50"].value, "ms",
                   f"with {sizes[0]:,} events", first["as-of p50"].value, higher_is_better=False, goal="< 50 ms"),
            Result(f"growth: history with diffs, {sizes[-1]:,} events", last["history"].value, "ms",
                   f"with {sizes[0]:,} events", first["history"].value, higher_is_better=False)]


def _measure(schema: str, state: Path, sizes: list[int]) -> dict[int, Figures]:
    for name in ("event-signing", "checkpoint"):
        ensure_key_pair(state / "keys", name)
    settings = AuditSettings(database_url=DATABASE_URL, db_schema=schema, state_dir=state)
    app = build_app(settings, signer=EventSigner.from_file(settings.event_signing_key_path))
    tasks = {size: _write(app, size) for size in sizes}
    audit = build_audit(settings, app)
    try:
        return {size: _figures(audit, task, size) for size, task in tasks.items()}
    finally:
        audit.close()
        app.close()


def _write(app: Any, size: int) -> uuid.UUID:
    clock, started = _Clock(START), time.perf_counter()
    with recording_clock(clock):
        task = _task(clock, f"GROWTH-{size}", size, timedelta(minutes=1), save=app.save)
        app.save(task)
    print(f"   wrote a task of {size:,} events in {time.perf_counter() - started:.0f}s", flush=True)
    return task.id


def _figures(audit: AuditService, task: uuid.UUID, size: int) -> Figures:
    load = load_average()
    rng, samples = random.Random(16), []
    for _ in range(PROBES):
        minute = rng.randrange(size)
        started = time.perf_counter()
        view = audit.as_of(task, START + timedelta(minutes=minute, seconds=30))
        samples.append((time.perf_counter() - started) * 1000)
        assert view["task"]["version"] == minute + 1
    full = 1000 * _best(lambda: audit.history(task), 1 if size >= 100_000 else 3)
    page = statistics.median(1000 * _best(lambda: audit.history(task, max(0, size - PAGE), PAGE), 1) for _ in range(5))
    print(f"   {size:,} events: as-of p50 {statistics.median(samples):.1f} ms, history {full:,.0f} ms, "
          f"page {page:.1f} ms (load {load:.1f})", flush=True)
    return {"as-of p50": Point(size, statistics.median(samples), load),
            "as-of p95": Point(size, _percentile(samples, 0.95), load),
            "history": Point(size, full, load), "page": Point(size, page, load)}
