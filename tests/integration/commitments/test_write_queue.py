"""The group-commit writer's queue is bounded and so is a caller's wait: when too many commands wait, a
new one gets 429 with Retry-After at once; a caller whose command is still queued at the bound gets a
503 and its command is withdrawn (never recorded). The writer is held by not starting it, so what is
queued is what the test queued."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from commitments.api.app import create_app
from commitments.bootstrap import Container, build
from commitments.config import CommitmentsSettings
from shared.auth.devkeys import KEY_NAMES, ensure_key_pair, load_private_key
from shared.auth.tokens import mint_token
from tests import polling

TASK = {"program_year": 2025, "unit": "vp", "title": "Tổ chức hội thảo", "target": "02 hội thảo",
        "deadline": "Quý IV/2025"}


@pytest.fixture
async def service(database_url: str, pg_schema: str, tmp_path: Path) -> AsyncIterator[tuple[Container,
                                                                                           httpx.AsyncClient]]:
    for name in KEY_NAMES:
        ensure_key_pair(tmp_path / "keys", name)
    settings = CommitmentsSettings(database_url=database_url, db_schema=pg_schema, state_dir=tmp_path,
                                   db_pool_size=2, write_queue_max=3, write_wait_seconds=0.5)
    container = build(settings)
    token = mint_token(load_private_key(tmp_path / "keys" / "jwt.pem"), issuer="camket-dev", audience="camket",
                       user_id="vp.nhung", name="Trần Thị Nhung", unit="vp", roles=["office"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(container)), base_url="http://c",
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        yield container, client
    container.close()


async def test_a_full_queue_refuses_at_once_and_a_wait_is_bounded(service: tuple[Container, httpx.AsyncClient]
                                                                   ) -> None:
    container, client = service
    waiting = [asyncio.create_task(client.post("/api/v1/tasks", json=TASK | {"ref": f"VP-{i}"},
                                               headers={"Idempotency-Key": f"k{i}"})) for i in range(3)]
    await polling.eventually(lambda: _queued(container, 3))
    refused = await client.post("/api/v1/tasks", json=TASK | {"ref": "VP-9"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["content-type"] == "application/problem+json"
    for answer in await asyncio.gather(*waiting):
        assert answer.status_code == 503 and answer.json()["recorded"] is False
        assert answer.headers["Retry-After"]
    container.batcher.start()  # the writer starts: the withdrawn commands are skipped, new ones go through
    created = await client.post("/api/v1/tasks", json=TASK | {"ref": "VP-10"})
    assert created.status_code == 201, created.text
    listed = (await client.get("/api/v1/tasks")).json()
    assert [t["ref"] for t in listed["tasks"]] == ["VP-10"]
    retried = await client.post("/api/v1/tasks", json=TASK | {"ref": "VP-0"}, headers={"Idempotency-Key": "k0"})
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers  # applied now, once


async def _queued(container: Container, n: int) -> bool:
    return container.batcher.queued == n


async def test_a_writer_stuck_in_the_database_still_answers_within_the_bound(
        service: tuple[Container, httpx.AsyncClient], database_url: str, pg_schema: str) -> None:
    """The events table is locked by another session, so the writer's transaction waits on it: the caller
    gets a 503 at the bound, whether its command was still queued (withdrawn) or being written (then it
    lands once the lock goes); a retry with the same Idempotency-Key makes it recorded exactly once."""
    container, client = service
    container.batcher.start()
    assert (await client.post("/api/v1/tasks", json=TASK | {"ref": "VP-1"})).status_code == 201  # tables exist
    async with await psycopg.AsyncConnection.connect(database_url) as blocker:
        await blocker.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
            sql.Identifier(pg_schema, "commitments_events")))
        stuck = await client.post("/api/v1/tasks", json=TASK | {"ref": "VP-2"}, headers={"Idempotency-Key": "s"})
        assert stuck.status_code == 503 and stuck.json()["recorded"] in (False, None), stuck.text
        await blocker.rollback()
    retried = await client.post("/api/v1/tasks", json=TASK | {"ref": "VP-2"}, headers={"Idempotency-Key": "s"})
    assert retried.status_code == 201, retried.text
    refs = [t["ref"] for t in (await client.get("/api/v1/tasks")).json()["tasks"]]
    assert sorted(refs) == ["VP-1", "VP-2"]
