"""Write throughput of the commitments service over HTTP with 32 concurrent clients (group commit),
beside the same run's baselines: the library's plain get → method → save loop, and a bare FastAPI
endpoint validating the same body and writing nothing. Goal: ≥ 3× the loop, ≥ ½ the bare endpoint,
p99 < 50 ms (issue 16).
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from bench.loadgen import post_round_robin, wrk_available
from bench.profiling import phase
from bench.result import Result
from bench.scratch import DATABASE_URL, scratch
from bench.services import camket, free_port, process, uvicorn_app
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
from tests.unit.commitments.builders import register, report

TASKS = 1000
SECONDS = 10
PHASES = ("library-loop", "bare-endpoint", "http-write")  # profiled apart (bench.profiling)


def run() -> list[Result]:
    if not wrk_available():
        raise RuntimeError("wrk is not installed (apt-get install wrk); `make bench` installs it")
    with scratch("bench") as (schema, state):
        return _measure(schema, state)


def _measure(schema: str, state: Path) -> list[Result]:
    keys = state / "keys"
    ensure_key_pair(keys, "jwt")
    signer = EventSigner.from_file(ensure_key_pair(keys, "event-signing"))
    settings = CommitmentsSettings(database_url=DATABASE_URL, db_schema=schema, state_dir=state)
    app = build_app(settings, signer=signer)
    task_ids = [uuid.uuid4() for _ in range(TASKS)]
    CommandBatcher(app).execute([Submission.of(register(t, ref=f"B-{n}"), SEED_PRINCIPAL)
                                 for n, t in enumerate(task_ids)])
    today = local_date(utc_now())
    with phase("library-loop"):
        loop_rate = _library_loop(app, task_ids, today)
    app.close()

    body = {"as_of": today.isoformat(), "period": ReportingPeriod.containing(PeriodKind.MONTH, today).code,
            "achieved_value": 5}
    token = mint_token(load_private_key(keys / "jwt.pem"), issuer="camket-dev", audience="camket",
                       user_id="bench", name="Bench", unit="ql-cndmst", roles=["unit_staff"])
    paths = [f"/api/v1/tasks/{t}/progress-reports" for t in task_ids]
    headers = {"Authorization": f"Bearer {token}"}

    port = free_port()
    with process(uvicorn_app("bench.bare_app:app", port), {}, f"http://127.0.0.1:{port}/docs"), phase("bare-endpoint"):
        bare = post_round_robin(f"http://127.0.0.1:{port}", paths, body, headers, seconds=SECONDS)
    port = free_port()
    workers = os.environ.get("CAMKET_BENCH_WORKERS", "1")  # the deployment's default: better than 2 here
    env = {"CAMKET_DATABASE_URL": DATABASE_URL, "CAMKET_COMMITMENTS_DB_SCHEMA": schema, "CAMKET_STATE_DIR": str(state),
           "CAMKET_COMMITMENTS_WORKERS": workers, "CAMKET_COMMITMENTS_PORT": str(port)}
    with process(camket("serve", "commitments"), env, f"http://127.0.0.1:{port}/health"), phase("http-write"):
        ours = post_round_robin(f"http://127.0.0.1:{port}", paths, body, headers, seconds=SECONDS)
    if ours.errors:
        raise RuntimeError(f"{ours.errors} of {ours.requests} requests failed")
    return [
        Result(f"HTTP commands/s, 32 clients (group commit, {workers} worker process)", ours.requests_per_second,
               "req/s",
               "library get→report→save loop", loop_rate, goal="≥ 3×"),
        Result("HTTP commands/s vs bare FastAPI endpoint", ours.requests_per_second, "req/s",
               "bare endpoint, same body, no write", bare.requests_per_second, goal="≥ 0.5×"),
        Result("HTTP command latency p50", ours.p50_ms, "ms", "bare endpoint p50", bare.p50_ms,
               higher_is_better=False),
        Result("HTTP command latency p99", ours.p99_ms, "ms", "bare endpoint p99", bare.p99_ms,
               higher_is_better=False, goal="< 50 ms"),
    ]


def _library_loop(app: object, task_ids: list[uuid.UUID], today: object) -> float:
    """The plain way: one get, one method call, one save (one transaction) per command."""
    from commitments.application.service import CommitmentsApp
    from commitments.domain.actor import Actor, Role

    assert isinstance(app, CommitmentsApp)
    actor = Actor("bench", "Bench", "ql-cndmst", Role.UNIT_STAFF)
    command = report(task_ids[0], 5)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < SECONDS:
        task = app.get_task(task_ids[count % len(task_ids)])
        task.report_progress(actor=actor, as_of=today, period=command.period.__class__.containing(  # type: ignore
            command.period.kind, today), achieved_value=5)  # type: ignore[arg-type]
        app.save(task)
        count += 1
    return count / (time.perf_counter() - started)
