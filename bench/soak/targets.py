"""What the soak's load asks for: tokens minted with the soak's own development key, the seeded tasks
(once reporting has caught up with them), and the kinds of request with their rates."""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from nats.aio.client import Client

from bench.soak.load import Kind, Request
from bench.soak.sample import lag
from shared.auth.devkeys import load_private_key
from shared.auth.tokens import mint_token
from shared.periods import PeriodKind, ReportingPeriod
from shared.stream_consumer import task_events
from shared.stream_consumer.protocol import ConsumerOptions
from shared.subjects import Subjects
from shared.vn import local_date, utc_now

ORG = "qt-skhcn"
YEAR = 2025  # the seeded program's year
# Requests per second of each kind: a busy department's day, steady, well below what the services sustain.
RATES = {"command": 10.0, "dashboard": 2.0, "reporting-api": 4.0, "alerts": 4.0, "audit-history": 1.0,
         "audit-as-of": 2.0}
CATCH_UP_TIMEOUT = 120.0


def rates(override: str) -> dict[str, float]:
    """RATES with SOAK_RATES applied ("command=0,dashboard=5"; 0 leaves a kind out), to tell which load
    a memory trend follows."""
    out = dict(RATES)
    for item in filter(None, (part.strip() for part in override.split(","))):
        name, _, value = item.partition("=")
        if name not in out:
            raise ValueError(f"SOAK_RATES: unknown kind {name!r} (one of {', '.join(RATES)})")
        out[name] = float(value)
    return {name: rate for name, rate in out.items() if rate > 0}


@dataclass(frozen=True)
class Plan:
    tasks: list[dict[str, Any]]
    kinds: list[Kind]
    consumers: dict[str, ConsumerOptions]
    database_url: str


def _token(state: Path, role: str, unit: str) -> dict[str, str]:
    token = mint_token(load_private_key(state / "keys" / "jwt.pem"), issuer="camket-dev", audience="camket",
                       user_id=f"soak.{role}.{unit}", name=f"Soak {role}", unit=unit, roles=[role])
    return {"Authorization": f"Bearer {token}"}


async def prepare(info: dict[str, Any], state: Path, nc: Client) -> Plan:
    env, ports = info["env"], info["ports"]
    subjects = Subjects(ORG, env["CAMKET_SUBJECT_PREFIX"])
    consumers = {"reporting": task_events(subjects, name="reporting", schema=env["CAMKET_REPORTING_DB_SCHEMA"]),
                 "notifications": task_events(subjects, name="notifications",
                                              schema=env["CAMKET_NOTIFICATIONS_DB_SCHEMA"])}
    commitments, reporting = f"http://127.0.0.1:{ports['commitments']}", f"http://127.0.0.1:{ports['reporting']}"
    notifications = f"http://127.0.0.1:{ports['notifications']}"
    office, inspector = _token(state, "office", "vp"), _token(state, "inspector", "thanh-tra")
    async with httpx.AsyncClient(timeout=30, trust_env=False) as client:
        listed = (await client.get(f"{commitments}/api/v1/tasks", params={"program_year": YEAR}, headers=office))
        listed.raise_for_status()
        tasks = [t | {"headers": _token(state, "unit_staff", t["unit"])} for t in listed.json()["tasks"]]
        await _caught_up(nc, env["CAMKET_DATABASE_URL"], consumers)
        today = local_date(utc_now())
        period = ReportingPeriod.containing(PeriodKind.MONTH, today).code
        reportable = [t | {"body": body} for t in tasks
                      if (body := await _accepted_body(client, commitments, t, today.isoformat(), period))]
    if not reportable:
        raise RuntimeError("no seeded task accepts a progress report")

    def command(rng: random.Random) -> Request:
        task = rng.choice(reportable)
        kind = task["target"]["kind"]
        value = None if task["body"]["achieved_value"] is None else float(
            rng.randint(0, 1) if kind == "milestone" else rng.randint(0, 100 if kind == "percentage" else 20))
        # A value below the last one is a correction, which must say why: every report carries a note.
        body = task["body"] | {"achieved_value": value}
        return ("POST", f"{commitments}/api/v1/tasks/{task['task_id']}/progress-reports", body,
                task["headers"] | {"Idempotency-Key": str(uuid.uuid4())})

    def audit_as_of(rng: random.Random) -> Request:
        task = rng.choice(tasks)
        at = (utc_now() - timedelta(seconds=rng.randint(0, 600))).strftime("%Y-%m-%dT%H:%M:%SZ")
        return "GET", f"{commitments}/api/v1/audit/tasks/{task['task_id']}/as-of?at={at}", None, inspector

    builders = {
        "command": command,
        "dashboard": lambda _: ("GET", f"{reporting}/dashboard", None, office),
        "reporting-api": lambda rng: (
            "GET", f"{reporting}/api/v1/" + rng.choice(["summary", "tasks", f"units/{rng.choice(tasks)['unit']}"]),
            None, office),
        "alerts": lambda _: ("GET", f"{notifications}/api/v1/alerts", None, office),
        "audit-history": lambda rng: (
            "GET", f"{commitments}/api/v1/audit/tasks/{rng.choice(tasks)['task_id']}/history", None, inspector),
        "audit-as-of": audit_as_of}
    kinds = [Kind(name, rate, builders[name]) for name, rate in rates(os.environ.get("SOAK_RATES", "")).items()]
    return Plan(reportable, kinds, consumers, env["CAMKET_DATABASE_URL"])


async def _caught_up(nc: Client, database_url: str, consumers: dict[str, ConsumerOptions]) -> None:
    """Until both consumers have applied the seed (so the first minute measures the load, not the seed)."""
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    while True:
        lags = {name: (await lag(nc, database_url, options)) for name, options in consumers.items()}
        if all(behind == 0 and position > 0 for behind, position in lags.values()):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the consumers did not catch up with the seed: {lags}")
        await asyncio.sleep(1)


async def _accepted_body(client: httpx.AsyncClient, base: str, task: dict[str, Any], as_of: str,
                         period: str) -> dict[str, Any] | None:
    """The report body the task accepts (a number, or none for a qualitative one), or None."""
    for value in (1.0, None):
        body = {"as_of": as_of, "period": period, "achieved_value": value, "note": "Soak: báo cáo định kỳ"}
        answer = await client.post(f"{base}/api/v1/tasks/{task['task_id']}/progress-reports", json=body,
                                   headers=task["headers"])
        if answer.status_code < 300:
            return body
    return None
