"""The demo's simulated year without I/O: reproducible from its seed, varied, and only ever a sandbox."""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime
from itertools import pairwise

import pytest
from pydantic import ValidationError

from commitments.config import CommitmentsSettings
from commitments.demo.pdf import one_page
from commitments.demo.runner import DEFAULT_NOW, NotASandbox, check_sandbox
from commitments.demo.year import Play, Step, cast_profiles, plan
from commitments.evidence.media import sniff
from commitments.seed.loader import commands_of, default_program, read_program
from devstack.demo import DEMO_NOW, STORE, demo_steps
from devstack.stack import STACK
from reporting.config import ReportingSettings
from shared.vn import local_date


def plays_of(seed: int) -> tuple[list[Play], list[Step]]:
    rnd = random.Random(seed)
    plays = [Play(ref, cmd.task_id, cmd.unit, cmd.target,
                  local_date(cmd.deadline.ends_at) if cmd.deadline.ends_at else date(2025, 12, 31), "")
             for ref, cmd, _ in commands_of(read_program(default_program()), "qt-skhcn")]
    cast_profiles(rnd, plays)
    return plays, plan(rnd, plays, DEFAULT_NOW)


def shape(steps: list[Step]) -> list[tuple[str, str]]:
    return [(s.at.isoformat(), s.act.__qualname__) for s in steps]


def test_the_same_seed_plays_the_same_year_and_another_seed_another() -> None:
    assert shape(plays_of(3)[1]) == shape(plays_of(3)[1])
    assert shape(plays_of(3)[1]) != shape(plays_of(4)[1])


@pytest.mark.parametrize("seed", [1, 2, 2025])
def test_every_seed_has_a_late_and_an_on_time_finish_and_monthly_reports(seed: int) -> None:
    plays, steps = plays_of(seed)
    early = {p.profile for p in plays if p.due < date(2025, 11, 1)}
    assert {"late", "on_time"} <= early
    assert all(local_date(a.at) <= local_date(b.at) for a, b in pairwise(steps))
    assert local_date(steps[-1].at) <= DEFAULT_NOW
    months = {local_date(s.at).month for s in steps if s.act.__qualname__.startswith("_report")}
    assert months == set(range(2, 13))  # each month's report lands in the next month (January's in February)
    kinds = {s.act.__qualname__.split(".")[0] for s in steps}
    assert {"_merger", "_revise", "_propose", "_decide", "_request", "_confirm", "_reject"} <= kinds


def test_the_demo_writes_only_into_a_sandbox_schema() -> None:
    check_sandbox("demo_commitments")
    for schema in ("commitments", "reporting", "t_demo"):
        with pytest.raises(NotASandbox):
            check_sandbox(schema)


def test_the_evidence_is_a_real_pdf() -> None:
    assert sniff(io.BytesIO(one_page("Bao cao (thang 5)")), "Báo cáo.pdf") == "application/pdf"


def test_make_run_demo_points_every_process_at_the_sandbox() -> None:
    steps = demo_steps(STACK)
    assert "seed" not in {s.name for s in steps} and "demo" in {s.name for s in steps}
    for step in steps:
        env = dict(step.env)
        assert env["CAMKET_SUBJECT_PREFIX"] == "demo"
        for service in ("COMMITMENTS", "REPORTING", "NOTIFICATIONS"):
            assert env[f"CAMKET_{service}_DB_SCHEMA"].startswith("demo_")
    assert dict(next(s for s in steps if s.name == "commitments").env)["CAMKET_COMMITMENTS_DB_SCHEMA"] == STORE
    assert DEMO_NOW.startswith(DEFAULT_NOW.isoformat())


def test_only_a_sandbox_store_may_run_on_simulated_time() -> None:
    now = datetime(2025, 12, 19, 10, tzinfo=UTC)
    assert CommitmentsSettings(db_schema="demo_commitments", demo_now=now).demo_now == now
    for refused in ({"db_schema": "commitments"}, {"db_schema": "demo_commitments", "environment": "production",
                                                   "jwt_jwks_url": "https://idp.example/jwks",
                                                   "jwt_issuer": "https://idp.example"}):
        with pytest.raises(ValidationError, match="CAMKET_COMMITMENTS_DEMO_NOW"):
            CommitmentsSettings(**refused, demo_now=now)
    with pytest.raises(ValidationError, match="CAMKET_REPORTING_DEMO"):
        ReportingSettings(environment="production", jwt_jwks_url="https://idp.example/jwks",
                          jwt_issuer="https://idp.example", demo=True)
