"""The real Cam kết processes on a NATS server running deploy/nats/accounts.conf, each logged in as its
own user the way the compose file and the manifests set it (CAMKET_NATS_USER + a password file): the
publisher publishes, the reporting and notifications consumers read everything, the sealer publishes
its checkpoint, the audit's verification reads it back. So the permissions that keep everyone else
from publishing events do not stop them."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import nats
import psycopg
import pytest
from psycopg import sql

from commitments.application.batching import CommandBatcher
from commitments.bootstrap import build_app
from commitments.config import CommitmentsSettings
from devstack import scratch_dir
from shared.subjects import Subjects
from tests.e2e.support import CAMKET, ServiceProcess, free_port, prepare_state
from tests.integration.deploy.accounts_server import AccountsServer, accounts_server
from tests.integration.publisher import load

SUBJECTS = Subjects(org="qt-skhcn")
TASKS = 6


@pytest.fixture
def server() -> Iterator[AccountsServer]:
    with scratch_dir() as tmp, accounts_server(tmp) as running:
        yield running


@pytest.fixture
def schemas(database_url: str, pg_schema: str) -> Iterator[dict[str, str]]:
    names = {"commitments": pg_schema, "reporting": f"{pg_schema}_rep", "notifications": f"{pg_schema}_not"}
    yield names
    with psycopg.connect(database_url, autocommit=True) as conn:
        for name in names.values():
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def _env(server: AccountsServer, state: Path, database_url: str, schemas: dict[str, str], user: str) -> dict[str, str]:
    secret = state / f"nats-{user}-password"
    secret.write_text(server.passwords[user] + "\n")
    return {"CAMKET_STATE_DIR": str(state), "CAMKET_DATABASE_URL": database_url, "CAMKET_NATS_URL": server.url,
            "CAMKET_COMMITMENTS_DB_SCHEMA": schemas["commitments"], "CAMKET_SUBJECT_PREFIX": SUBJECTS.prefix,
            "CAMKET_REPORTING_DB_SCHEMA": schemas["reporting"], "CAMKET_NATS_USER": user,
            "CAMKET_NATS_PASSWORD_FILE": str(secret)}


async def _acked(server: AccountsServer, stream: str, durable: str | None = None) -> int:
    """Messages in `stream`, or what consumer `durable` has acknowledged (0 if it does not exist yet)."""
    nc = await nats.connect(server.url, user="publisher", password=server.passwords["publisher"])
    try:
        js = nc.jetstream()
        try:
            if durable is None:
                return int((await js.stream_info(stream)).state.messages)
            return int((await js.consumer_info(stream, durable)).ack_floor.stream_seq)
        except nats.js.errors.NotFoundError:
            return 0
    finally:
        await nc.close()


async def _until(server: AccountsServer, stream: str, durable: str | None, count: int, what: ServiceProcess,
                 timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while (seen := await _acked(server, stream, durable)) < count:
        assert what.proc is not None and what.proc.poll() is None, what.log.read_text()[-3000:]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{durable or stream}: {seen} of {count} after {timeout}s\n"
                                 f"{what.log.read_text()[-3000:]}")
        await asyncio.sleep(0.1)


async def test_every_process_works_as_its_own_nats_user(server: AccountsServer, database_url: str,
                                                        schemas: dict[str, str]) -> None:
    with scratch_dir() as state:
        prepare_state(state)
        env = {user: _env(server, state, database_url, schemas, user)
               for user in ("publisher", "reporting", "notifications", "sealer", "commitments")}
        app = build_app(CommitmentsSettings(database_url=database_url, db_schema=schemas["commitments"],
                                            state_dir=state))
        try:
            load.tasks(CommandBatcher(app), TASKS)
        finally:
            app.close()

        started: list[ServiceProcess] = []
        try:
            publisher = ServiceProcess(["publisher"], env["publisher"])
            started.append(publisher.start())
            await _until(server, SUBJECTS.events_stream, None, TASKS, publisher)

            consumer = ServiceProcess(["reporting", "consume"], env["reporting"])
            started.append(consumer.start())
            await _until(server, SUBJECTS.events_stream, "reporting", TASKS, consumer)

            notifications_env = env["notifications"] | {"CAMKET_NOTIFICATIONS_DB_SCHEMA": schemas["notifications"]}
            notifications = ServiceProcess(["serve", "notifications"], notifications_env, port=free_port())
            started.append(notifications.start())
            await _until(server, SUBJECTS.events_stream, "notifications", TASKS, notifications)
        finally:
            for process in reversed(started):
                process.stop()

        sealer = await asyncio.to_thread(subprocess.run, [CAMKET, "audit", "sealer", "--once"],
                                         env=os.environ | env["sealer"], capture_output=True,
                                         text=True, timeout=120, check=False)
        assert sealer.returncode == 0, sealer.stdout + sealer.stderr
        assert await _acked(server, SUBJECTS.audit_stream) >= 1  # its checkpoint, published as user sealer
        # The audit's verification reads those checkpoints back from NATS as user commitments (the
        # API's audit routes do the same); unreachable witnesses would make it exit 1.
        verify = await asyncio.to_thread(subprocess.run, [CAMKET, "audit", "verify"],
                                         env=os.environ | env["commitments"], capture_output=True, text=True,
                                         timeout=120, check=False)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert "unavailable" not in verify.stdout, verify.stdout
    # Nobody but the publisher published events: the stream holds exactly the store's events.
    assert await _acked(server, SUBJECTS.events_stream) == TASKS
