"""PostgreSQL restarts (and crashes) under the commitments service while commands flow: the API answers
503 while the store is away, clients retry with their Idempotency-Key, and every command is applied
exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devstack import PostgresCluster, scratch_dir
from tests.e2e.support import ServiceProcess, free_port, token
from tests.e2e.test_commitments_service import TASK, _send_all
from tests.faults import FaultPoint


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    with scratch_dir() as tmp:
        pg = PostgresCluster(tmp / "pg")
        pg.start()
        try:
            yield pg
        finally:
            pg.stop(mode="immediate")


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_postgres_restart_under_load_loses_and_doubles_nothing(cluster: PostgresCluster, state_dir: Path,
                                                                 mode: str) -> None:
    url = cluster.create_database("camket")
    # The writer pauses after each group commit (shared/faults.py): PostgreSQL goes down while the
    # test holds it there, so the restart lands in the middle of the load by construction.
    fault = FaultPoint(state_dir / "faults", "commands", every=1)
    service = ServiceProcess(["serve", "commitments"], {"CAMKET_STATE_DIR": str(state_dir),
                                                        "CAMKET_DATABASE_URL": url} | fault.env(),
                             port=free_port()).start()
    try:
        office = {"Authorization": f"Bearer {token(state_dir, 'office', 'vp')}"}
        task = asyncio.run(_register(service.url, office, fault))
        api = f"{service.url}/api/v1/tasks/{task}/progress-reports"
        headers = {"Authorization": f"Bearer {token(state_dir, 'unit_staff', 'ql-kh')}"}
        commands = [(f"r-{n}", {"as_of": "2025-03-31", "period": "2025-Q1", "achieved_value": 2,
                                "note": f"báo cáo {n}"}) for n in range(300)]
        answered: dict[str, int] = {}

        async def restart_midway() -> None:
            load = asyncio.create_task(_send_all(api, headers, commands, answered))
            done = await fault.paused(after=1)
            while len(answered) < 80:
                fault.go_on()
                done = await fault.paused(after=done)
            await asyncio.to_thread(cluster.stop, mode)
            fault.go_on()  # the held commit is answered; what follows finds the store away
            pacing = asyncio.create_task(_keep_going(fault, done))
            await asyncio.sleep(1.0)  # commands keep arriving while the store is away
            await asyncio.to_thread(cluster.start)
            await load
            for _ in range(5):  # clients retry what was refused or unanswered
                await _send_all(api, headers, commands, answered)
            pacing.cancel()

        asyncio.run(restart_midway())
        assert len(answered) == len(commands)
        board = {"Authorization": f"Bearer {token(state_dir, 'board', 'bgd')}"}
        history = [e["event"] for e in httpx.get(f"{service.url}/api/v1/audit/tasks/{task}/history",
                                                 params={"limit": 1000}, headers=board).json()["entries"]]
        notes = [e["note"] for e in history if e["type"] == "ProgressReported"]
        assert sorted(notes) == sorted(body["note"] for _, body in commands)
        assert sorted(answered.values()) == list(range(2, 2 + len(commands)))
    finally:
        service.stop()


async def _keep_going(fault: FaultPoint, done: int) -> None:
    """Lets the writer go on from every later pause: the rest of the load runs unheld."""
    while True:
        done = await fault.paused(after=done, timeout=3600)
        fault.go_on()


async def _register(url: str, headers: dict[str, str], fault: FaultPoint) -> str:
    """The task's registration is the writer's first commit: let it go on from that pause."""
    async with httpx.AsyncClient(timeout=30) as client:
        sending = asyncio.create_task(client.post(f"{url}/api/v1/tasks", json=TASK, headers=headers))
        assert await fault.paused() == 1
        fault.go_on()
        task_id: str = (await sending).json()["task_id"]
        return task_id
