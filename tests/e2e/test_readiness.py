"""Every process answers /healthz, /readyz and /metrics; /readyz turns 503 while the PostgreSQL or
the NATS it needs is stopped, or while its consumer is stuck, and 200 again once they are back.

The suite's own throwaway PostgreSQL and NATS (devstack), the processes as `camket` commands: the
three APIs (reporting's without its consumer), the publisher, the sealer and the standalone
reporting consumer on their *_METRICS_PORT."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from devstack import NatsServer, PostgresCluster, scratch_dir
from tests.e2e.support import ServiceProcess, free_port, token
from tests.e2e.test_commitments_service import TASK

STALL_SECONDS = 2


@dataclass
class Probed:
    name: str
    process: ServiceProcess
    port: int
    uses_nats: bool
    metric: str  # a metric this process must export

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=10)

    def ready(self) -> int | None:
        assert self.process.proc is not None and self.process.proc.poll() is None, self.process.log.read_text()
        try:
            return self.get("/readyz").status_code
        except httpx.HTTPError:
            return None


def wait_status(processes: list[Probed], status: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(processes)
    while waiting and time.monotonic() < deadline:
        waiting = [p for p in waiting if p.ready() != status]
        time.sleep(0.2)
    assert not waiting, {p.name: p.get("/readyz").text if p.ready() else None for p in waiting}


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[PostgresCluster, NatsServer]]:
    with scratch_dir() as tmp:
        pg = PostgresCluster(tmp / "pg").start()
        nats = NatsServer(store_dir=tmp_path / "nats").start()
        try:
            yield pg, nats
        finally:
            nats.stop()
            pg.stop(mode="immediate")


def start_all(state_dir: Path, env: dict[str, str]) -> list[Probed]:
    ports = {name: free_port() for name in ("commitments", "reporting", "notifications", "publisher", "sealer",
                                            "consumer")}
    base = {"CAMKET_STATE_DIR": str(state_dir), **env}
    http = [("commitments", ["serve", "commitments"], False, "camket_http_requests_total"),
            ("reporting", ["serve", "reporting"], False, "camket_http_requests_total"),
            ("notifications", ["serve", "notifications"], True, "camket_consumer_position")]
    probed = [Probed(name, ServiceProcess([*args, "--port", str(ports[name])], base, port=ports[name]).start(60),
                     ports[name], nats, metric) for name, args, nats, metric in http]
    others = [("publisher", ["publisher"], "CAMKET_COMMITMENTS_PUBLISHER_METRICS_PORT", "camket_publisher_leader"),
              ("sealer", ["audit", "sealer"], "CAMKET_COMMITMENTS_SEALER_METRICS_PORT", "camket_sealer_sealed_events"),
              ("consumer", ["reporting", "consume"], "CAMKET_REPORTING_CONSUMER_METRICS_PORT",
               "camket_consumer_position")]
    for name, args, setting, metric in others:
        process = ServiceProcess(args, base | {setting: str(ports[name])}).start()
        probed.append(Probed(name, process, ports[name], True, metric))
    return probed


def test_readyz_follows_postgres_nats_and_a_stuck_consumer(
        servers: tuple[PostgresCluster, NatsServer], state_dir: Path) -> None:
    pg, nats = servers
    url = pg.create_database("camket")
    env = {"CAMKET_DATABASE_URL": url, "CAMKET_NATS_URL": nats.url, "CAMKET_REPORTING_CONSUME": "false",
           "CAMKET_CONSUMER_STALL_SECONDS": str(STALL_SECONDS), "CAMKET_LOG_FORMAT": "json"}
    processes = start_all(state_dir, env)
    by_name = {p.name: p for p in processes}
    try:
        wait_status(processes, 200)
        office = {"Authorization": f"Bearer {token(state_dir, 'office', 'vp')}"}
        api = f"http://127.0.0.1:{by_name['commitments'].port}/api/v1/tasks"
        assert httpx.post(api, json=TASK, headers=office).status_code == 201
        httpx.get(f"http://127.0.0.1:{by_name['reporting'].port}/api/v1/tasks", headers=office)
        for p in processes:
            assert p.get("/healthz").status_code == 200
            metrics = p.get("/metrics")
            assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
            assert p.metric in metrics.text, (p.name, metrics.text[:2000])

        nats.stop()
        wait_status([p for p in processes if p.uses_nats], 503)
        assert "nats" in by_name["publisher"].get("/readyz").json()["checks"]
        wait_status([p for p in processes if not p.uses_nats], 200)
        nats.start()
        wait_status(processes, 200)

        pg.stop(mode="fast")
        wait_status(processes, 503)
        assert by_name["commitments"].get("/readyz").json()["checks"]["database"] != "ok"
        pg.start()
        wait_status(processes, 200)

        consumer = by_name["consumer"]
        with psycopg.connect(url, autocommit=True) as blocker:  # holds the reporting consumer's batch lock
            blocker.execute("SELECT pg_advisory_lock(hashtextextended('reporting/reporting/batch', 0))")
            assert httpx.post(api, json=TASK | {"ref": "NV-STUCK-1"}, headers=office).status_code == 201
            wait_status([consumer], 503, timeout=60)
            assert "stalled" in consumer.get("/readyz").json()["checks"]["consumer reporting"]
            blocker.execute("SELECT pg_advisory_unlock(hashtextextended('reporting/reporting/batch', 0))")
        wait_status([consumer], 200)
        for p in processes:
            assert p.process.proc is not None and p.process.proc.poll() is None, p.process.log.read_text()[-3000:]
    finally:
        for p in processes:
            p.process.stop()
