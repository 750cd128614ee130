"""The whole stack as processes for the dashboard's end-to-end test: commitments (the `commitments`
fixture), `camket seed`, `camket publisher`, `camket serve reporting` on a schema of its own; and the
cleanup of the test's NATS streams and the reporting schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from typing import Any

import httpx
import psycopg
from psycopg import sql

from shared.messaging import connect
from shared.subjects import Subjects
from tests.e2e.support import CAMKET, ROOT, ServiceProcess, free_port

ORG = "qt-skhcn"


def camket(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    """Runs a `camket` command to its end and returns what it printed."""
    done = subprocess.run([CAMKET, *args], env=os.environ | env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"camket {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout.strip()


def start_reporting(env: dict[str, str], schema: str) -> ServiceProcess:
    port = free_port()
    return ServiceProcess(["serve", "reporting", "--port", str(port)],
                          env | {"CAMKET_REPORTING_DB_SCHEMA": schema,
                                 "CAMKET_REPORTING_CONSUMER_NAME": "dashboard-e2e"},
                          port=port).start()


def wait_for_tasks(url: str, token: str, count: int, timeout: float = 30) -> list[dict[str, Any]]:
    """Polls the reporting API until the read model holds `count` tasks."""
    deadline, tasks = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        response = httpx.get(f"{url}/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        tasks = response.json() if response.status_code == 200 else []
        if len(tasks) >= count:
            return tasks
        time.sleep(0.2)
    raise AssertionError(f"the read model holds {len(tasks)} tasks after {timeout}s, expected {count}")


def drop_schema(database_url: str, schema: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def delete_streams(nats_url: str, prefix: str) -> None:
    async def run() -> None:
        subjects = Subjects(ORG, prefix)
        nc = await connect(nats_url, "dashboard-e2e-cleanup", attempts=1)
        try:
            js = nc.jetstream()
            for stream in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
                try:
                    await js.delete_stream(stream)
                except Exception:  # a stream this test never created
                    continue
        finally:
            await nc.close()

    asyncio.run(run())
