"""Program drafts on PostgreSQL: the draft survives the process that made it; one process freezes the
draft and registers part of it, then dies before recording the acceptance; another process accepts it and
registers only the rest, and accepting again registers nothing — counted in the event store itself.
Two reviewers saving the same version: one wins, the other gets DraftStale, nothing lost."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import httpx
import psycopg
import pytest
from psycopg import sql

from commitments.api.app import create_app
from commitments.api.routes import draft_io as io
from commitments.bootstrap import Container, build
from commitments.config import CommitmentsSettings
from commitments.drafts.model import DraftStale
from commitments.drafts.postgres_store import PostgresDraftStore
from shared.auth.devkeys import KEY_NAMES, ensure_key_pair, load_private_key
from shared.auth.tokens import Principal, mint_token

ROOT = Path(__file__).resolve().parents[3]
NOTICE = (ROOT / "tests/data/notices/qt-skhcn-2026-review.txt").read_bytes()
REVIEWER = Principal(user_id="vp.nhung", name="Trần Thị Nhung", unit="vp", roles=frozenset({"office"}),
                     issuer="camket-dev", subject="vp.nhung")


@pytest.fixture
def settings(database_url: str, pg_schema: str, tmp_path: Path) -> Iterator[CommitmentsSettings]:
    for name in KEY_NAMES:
        ensure_key_pair(tmp_path / "keys", name)
    yield CommitmentsSettings(database_url=database_url, db_schema=pg_schema, state_dir=tmp_path, db_pool_size=2)


async def _call(container: Container, tmp: Path, method: str, path: str, **kw: object) -> httpx.Response:
    token = mint_token(load_private_key(tmp / "keys" / "jwt.pem"), issuer="camket-dev", audience="camket",
                       user_id="vp.nhung", name="Trần Thị Nhung", unit="vp", roles=["office"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(container)), base_url="http://c",
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        return await client.request(method, path, **kw)  # type: ignore[arg-type]


def _running(settings: CommitmentsSettings) -> Container:
    container = build(settings)
    container.batcher.start()  # as the application's lifespan does
    return container


def _events(settings: CommitmentsSettings) -> int:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(settings.db_schema, "commitments_events"))).fetchone()
    return int(row[0]) if row else 0


def test_a_crash_half_way_then_another_process_finishes_the_acceptance(settings: CommitmentsSettings) -> None:
    first = _running(settings)
    try:
        made = asyncio.run(_call(first, settings.state_dir, "POST", "/api/v1/program-drafts",
                                 files={"file": ("tb.txt", NOTICE)}, data={"program_year": "2026"}))
        assert made.status_code == 201, made.text
        draft_id = UUID(made.json()["draft_id"])
        frozen = first.drafts.freeze(draft_id, None)  # what acceptance does first; then two registrations land
        commands, errors = io.commands(frozen, settings.org)
        assert errors == []

        async def two() -> None:
            for sub in io.submissions(frozen, commands[:2], REVIEWER):
                await first.batcher.submit(sub)
        asyncio.run(two())
    finally:
        first.close()  # the process dies before recording the acceptance
    assert _events(settings) == 2

    second = _running(settings)  # another replica, nothing cached
    try:
        assert second.drafts.get(draft_id).status == "accepting"
        done = asyncio.run(_call(second, settings.state_dir, "POST", f"/api/v1/program-drafts/{draft_id}/acceptance"))
        assert done.status_code == 200, done.text
        assert done.json()["registered"] == 2 and done.json()["status"] == "accepted"
        assert _events(settings) == 4
        again = asyncio.run(_call(second, settings.state_dir, "POST", f"/api/v1/program-drafts/{draft_id}/acceptance"))
        assert again.json()["registered"] == 0 and _events(settings) == 4
    finally:
        second.close()


def test_two_saves_of_the_same_version_one_wins(settings: CommitmentsSettings) -> None:
    container = _running(settings)
    try:
        draft = container.drafts.create("tb.txt", NOTICE, 2026, "vp.nhung")
        other = PostgresDraftStore(settings.database_url, settings.db_schema)  # a second replica's store
        try:
            first = container.drafts.store.save(replace(draft, items=draft.items[:3]), draft.version)
            with pytest.raises(DraftStale) as stale:
                other.save(replace(draft, items=draft.items[1:]), draft.version)
            assert stale.value.current == first.version == 2
            kept = other.get(settings.org, draft.draft_id)
            assert kept is not None and [i.item_id for i in kept.items] == [1, 2, 3]
            assert kept.source_text == draft.source_text and kept.items[0] == draft.items[0]
            assert other.delete(settings.org, draft.draft_id) and other.get(settings.org, draft.draft_id) is None
        finally:
            other.close()
    finally:
        container.close()
