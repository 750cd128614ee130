"""Audit: verification speed over 100,000 stored events beside plain hashlib SHA-256 of the same bytes in
the same run (goal ≥ 50 %), the sealer's rate, and history and as-of latency for one task with 10,000
events (goal: as-of < 50 ms).

The log: one task with 10,000 events (a progress report a minute) and 1,000 tasks with 90 events each,
written through the domain and the signing store, then sealed by the real sealer (signature check, chain,
Merkle entry, change index) with a checkpoint every 10,000 events.

"Plain hashing" is hashlib.sha256 of each row's bytes, in memory, in the same run. Verification end to end
also reads the rows from PostgreSQL, which alone runs at a fraction of that rate on this machine; the table
shows both, and the end to end figure beside the same rows read and hashed plainly.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.profiling import phase
from bench.result import Result
from bench.scratch import DATABASE_URL, scratch
from commitments.application.handlers import handle
from commitments.audit.application.service import AuditService
from commitments.audit.application.tlog.verify import LogCheck
from commitments.audit.bootstrap import build_audit, build_sealer, read_only_app
from commitments.audit.config import AuditSettings
from commitments.audit.domain.replay import replay
from commitments.audit.domain.verification import LogVerifier
from commitments.bootstrap import build_app
from commitments.domain.actor import Actor, Role
from commitments.domain.clock import recording_clock
from commitments.domain.task import Task
from commitments.persistence.signing import EventSigner
from shared.auth.devkeys import ensure_key_pair
from shared.periods import ReportingPeriod
from tests.unit.commitments.builders import register

LONG = 10_000
FILLER_TASKS, FILLER_EVENTS = 1_000, 90
START = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
OFFICE = Actor(user_id="bench.office", name="Văn phòng", unit="vp", role=Role.OFFICE)
STAFF = Actor(user_id="bench.staff", name="Cán bộ", unit="ql-cndmst", role=Role.UNIT_STAFF)
MARCH = ReportingPeriod.parse("2025-03")
PHASES = ("verify", "read-and-hash")  # profiled apart (bench.profiling)


def run() -> list[Result]:
    with scratch("bench_audit") as (schema, state):
        return _measure(schema, state)


def _measure(schema: str, state: Path) -> list[Result]:
    for name in ("event-signing", "checkpoint"):
        ensure_key_pair(state / "keys", name)
    settings = AuditSettings(database_url=DATABASE_URL, db_schema=schema, state_dir=state)
    app = build_app(settings, signer=EventSigner.from_file(settings.event_signing_key_path))
    started = time.perf_counter()
    long_task = _write(app)
    print(f"   wrote {LONG + FILLER_TASKS * FILLER_EVENTS:,} events in {time.perf_counter() - started:.0f}s")
    sealer_rate = _seal(settings)
    audit = build_audit(settings, app)
    try:
        return [*_verification(audit), sealer_rate, *_latencies(audit, app, long_task)]
    finally:
        audit.close()
        app.close()


class _Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _task(clock: _Clock, ref: str, events: int, step: timedelta, save: Callable[[Task], None] | None = None) -> Task:
    task = handle(register(uuid.uuid4(), ref=ref), None, OFFICE)
    for value in range(1, events):
        clock.now += step
        task.report_progress(actor=STAFF, as_of=date(2025, 3, 1), period=MARCH, achieved_value=float(value))
        if save is not None and len(task.pending_events) == 1000:
            save(task)  # one save of ~10,000 events never completes in psycopg here (see the report)
    return task


def _write(app: Any) -> uuid.UUID:
    clock = _Clock(START)
    with recording_clock(clock):
        long_task = _task(clock, "LONG-1", LONG, timedelta(minutes=1), save=app.save)
        app.save(long_task)
        for first in range(0, FILLER_TASKS, 50):
            app.save(*(_task(clock, f"F-{n}", FILLER_EVENTS, timedelta(seconds=1)) for n in range(first, first + 50)))
    return long_task.id


def _seal(settings: AuditSettings) -> Result:
    reader = read_only_app(settings)
    sealer = build_sealer(settings, reader)
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        sealer.start(conn)
        started = time.perf_counter()
        while sealer.seal_batch(conn, 2000):
            if sealer.pending >= 10_000:
                sealer.checkpoint(conn)
        sealer.checkpoint(conn)
        rate = sealer.tree.size / (time.perf_counter() - started)
    reader.close()
    key, message = Ed25519PrivateKey.generate(), os.urandom(600)
    signature, public = key.sign(message), key.public_key()
    verify_rate = 2000 / _best(lambda: [public.verify(signature, message) for _ in range(2000)], 1)
    return Result("sealer: signature check + chain + Merkle entry + change index", rate, "events/s",
                  "Ed25519 verify alone", verify_rate, goal="keeps up with writes (a few thousand/year)")


def _best(work: Callable[[], object], times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _verification(audit: AuditService) -> list[Result]:
    report = audit.verify()
    assert report.ok and report.log_size >= 100_000, report.as_dict()
    n = report.log_size
    sha = hashlib.sha256
    end_to_end, read_and_hash = float("inf"), float("inf")
    for _ in range(3):  # interleaved, as below
        with phase("verify"):
            end_to_end = min(end_to_end, _best(audit.verify, 1))
        with audit.database.snapshot() as conn, phase("read-and-hash"):
            read_and_hash = min(read_and_hash, _best(lambda: [[sha(blob).digest() for _, blob in batch]
                                                              for batch in audit.store.row_batches(conn)], 1))
    with audit.database.snapshot() as conn:
        read = _best(lambda: list(audit.store.row_batches(conn)), 2)
        rows = [row for batch in audit.store.row_batches(conn) for row in batch]
        seals = audit.store.seal_records(conn)
        checkpoints = [c for c in (s.parse() for s in audit.store.checkpoints(conn)) if c]
        with_entries = list(audit.store.log_batches(conn, audit.tlog.entries))

        def log_check() -> None:  # the transparency log's part: each entry rebuilt from its row, the tree regrown
            check = LogCheck(conn, audit.tlog, audit.log_keys.log, 0)
            for _ in check.passing(with_entries):
                pass
            assert check.report.ok and check.grown.size == n, check.report.problems

        in_log = _best(log_check, 3)
    batches = [rows[i:i + 5000] for i in range(0, n, 5000)]  # as the store hands them over

    def core() -> None:
        verified = LogVerifier(seals, checkpoints, audit.event_keys, lambda *_: None, lambda _: {}).run(batches)
        assert verified.ok

    # Interleaved, best of five each: the machine is shared, and a quiet moment should favour neither side.
    plain, in_memory = float("inf"), float("inf")
    for _ in range(5):
        plain = min(plain, _best(lambda: [sha(blob).digest() for _, blob in rows], 1))
        in_memory = min(in_memory, _best(core, 1))
    baseline = "hashlib SHA-256 of the same row bytes (in memory)"
    return [
        Result(f"audit verify end to end, {n:,} events from PostgreSQL", n / end_to_end, "events/s", baseline,
               n / plain, goal="≥ 50% of plain hashing"),
        Result("audit verify end to end (same figure)", n / end_to_end, "events/s",
               "the same rows read from PostgreSQL and hashed with plain SHA-256", n / read_and_hash),
        Result("verification work alone (chain, seal records, checkpoints; rows in memory)", n / in_memory,
               "events/s", baseline, n / plain, goal="≥ 50% of plain hashing"),
        Result("transparency log check alone (entries rebuilt from the rows, tree regrown; in memory)", n / in_log,
               "events/s", baseline, n / plain),
        Result("reading the same rows from PostgreSQL alone", n / read, "rows/s", baseline, n / plain),
    ]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _latencies(audit: AuditService, app: Any, task: uuid.UUID) -> list[Result]:
    rng = random.Random(6)
    samples = []
    for _ in range(60):
        minute = rng.randrange(LONG)
        started = time.perf_counter()
        view = audit.as_of(task, START + timedelta(minutes=minute, seconds=30))
        samples.append((time.perf_counter() - started) * 1000)
        assert view["task"]["version"] == minute + 1
    cut = START + timedelta(minutes=5000)
    library = [1000 * _best(lambda: replay([e for e in app.events.get(task) if e.timestamp <= cut]), 1)
               for _ in range(3)]
    full = 1000 * _best(lambda: audit.history(task), 1)
    public = 1000 * _best(lambda: app.history(task), 1)
    page = [1000 * _best(lambda: audit.history(task, LONG - 500, 500), 1) for _ in range(5)]
    replayed = f"replay of all {LONG:,} events (every stored event read and applied)"
    return [
        Result(f"as-of, one task with {LONG:,} events, p50", statistics.median(samples), "ms", replayed,
               statistics.median(library), higher_is_better=False, goal="< 50 ms"),
        Result(f"as-of, one task with {LONG:,} events, p95", _percentile(samples, 0.95), "ms", replayed,
               statistics.median(library), higher_is_better=False, goal="< 50 ms"),
        Result(f"history with field diffs, all {LONG:,} events", full, "ms",
               "public history without diffs (CommitmentsApp.history)", public, higher_is_better=False),
        Result("history page: the latest 500 events (from a snapshot)", statistics.median(page), "ms",
               f"history with diffs, all {LONG:,}", full, higher_is_better=False),
    ]
