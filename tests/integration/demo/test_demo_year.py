"""`camket demo` fills a sandbox whose overview, briefings, evaluation and alerts all show
activity, through the real commands, and writes nothing into the real organisation's store."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from nats.js.errors import NotFoundError
from psycopg import sql

from commitments.demo.runner import DemoReport, play_year
from commitments.evidence.postgres_store import PostgresBlobStore
from commitments.evidence.service import EvidenceService
from shared.auth.devkeys import load_private_key
from shared.auth.tokens import mint_token
from shared.messaging import connect
from shared.subjects import Subjects
from tests.integration.demo.sandbox import NOW, Sandbox, sandbox

pytestmark = pytest.mark.timeout(300)
SEED = 7
REAL_TABLES = (("commitments", "commitments_events"), ("commitments", "evidence_files"),
               ("reporting", "task_status"), ("notifications", "alerts"))


def real_footprint(database_url: str, nats_url: str) -> tuple[dict[str, int], dict[str, int]]:
    """The real organisation's schemas (the services' default ones): their tables' rows, or -1 when
    absent; and the messages of the real streams (prefix camket). Other tests' schemas come and go."""
    rows: dict[str, int] = {}
    with psycopg.connect(database_url) as conn:
        for schema, table in REAL_TABLES:
            if conn.execute("SELECT to_regclass(%s)", (f"{schema}.{table}",)).fetchone() == (None,):
                rows[f"{schema}.{table}"] = -1
                continue
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            found = conn.execute(query).fetchone()
            rows[f"{schema}.{table}"] = found[0] if found else 0
    return rows, asyncio.run(_stream_messages(nats_url, Subjects("qt-skhcn", "camket")))


async def _stream_messages(nats_url: str, subjects: Subjects) -> dict[str, int]:
    nc = await connect(nats_url, "demo-tests-footprint", attempts=3)
    counts: dict[str, int] = {}
    try:
        for stream in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
            try:
                counts[stream] = (await nc.jetstream().stream_info(stream)).state.messages
            except NotFoundError:  # not created on this machine: nothing there to change
                counts[stream] = -1
    finally:
        await nc.close()
    return counts


@pytest.fixture(scope="module")
def demo(database_url: str, nats_url: str, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Sandbox, DemoReport, Path, Any]]:
    state = tmp_path_factory.mktemp("demo")
    before = real_footprint(database_url, nats_url)
    with sandbox(database_url, nats_url, state) as (box, app):
        store = PostgresBlobStore(database_url, box.schema)
        try:
            report = play_year(app, EvidenceService(store, 20 * 1024 * 1024), box.settings.org, seed=SEED)
        finally:
            store.close()
        _wait_for_read_model(box, app)
        _wait_for_alerts(box)
        yield box, report, state, app
    assert real_footprint(database_url, nats_url) == before  # the real store and streams: untouched


def _wait_for_read_model(box: Sandbox, app: Any) -> None:
    written = {v["ref"]: v["version"] for v in app.list_tasks(box.settings.org, NOW)}
    headers = _headers(box, "board", "bgd")

    async def caught_up() -> bool:
        got = box.reporting.get("/api/v1/tasks?year=2025", headers=headers).json()
        return {t["ref"]: t["version"] for t in got} == written

    box.loop.run(_eventually(caught_up, 120), timeout=130)


def _wait_for_alerts(box: Sandbox) -> None:
    async def several_kinds() -> bool:
        return len(await _alert_rules(box)) >= 3

    box.loop.run(_eventually(several_kinds, 60), timeout=70)


async def _alert_rules(box: Sandbox) -> Counter[str]:
    async with box.notifications_db.transaction() as conn:
        rows = await (await conn.execute("SELECT rule FROM alerts")).fetchall()
    return Counter(r[0] for r in rows)


async def _eventually(check: Any, seconds: float) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true after {seconds}s")
        await asyncio.sleep(0.2)


def _headers(box: Sandbox, role: str, unit: str) -> dict[str, str]:
    key = load_private_key(box.settings.keys_dir / "jwt.pem")
    token = mint_token(key, issuer="camket-dev", audience="camket", user_id=f"{role}.{unit}", name="Học viên",
                       unit=unit, roles=[role])
    return {"Authorization": f"Bearer {token}"}


def test_the_year_went_through_the_rules(demo: tuple[Sandbox, DemoReport, Path, Any]) -> None:
    _, report, _, _ = demo
    assert report.accepted > 400
    assert report.refused == {}, report.reasons  # the plan fits the rules the users' commands meet


def test_overview_shows_progress_completions_revisions_and_the_merger(
        demo: tuple[Sandbox, DemoReport, Path, Any]) -> None:
    box = demo[0]
    headers = _headers(box, "board", "bgd")
    tasks = box.reporting.get("/api/v1/tasks?year=2025", headers=headers).json()
    assert len(tasks) == 50
    assert sum(1 for t in tasks if t["last_report_as_of"]) >= 40
    assert any((t["achieved_value"] or 0) > 0 for t in tasks)
    assert {t["on_time"] for t in tasks if t["lifecycle"] == "completed"} == {True, False}
    assert sum(1 for t in tasks if t["revisions"]) >= 3
    merged = [t for t in tasks if "kh-tc" in t["previous_units"]]
    assert merged and all(t["unit"] == "vp" for t in merged)
    assert not [t for t in tasks if t["unit"] == "kh-tc"]
    summary = box.reporting.get("/api/v1/summary?year=2025", headers=headers).json()
    assert summary["total"]["completed_on_time"] > 0 and summary["total"]["completed_late"] > 0
    documents = {r["document"] for r in box.reporting.get("/api/v1/revisions?year=2025",
                                                                      headers=headers).json()}
    assert "Số: 12/QĐ-SKHCN" in documents


def test_weekly_and_monthly_briefings_are_not_empty(demo: tuple[Sandbox, DemoReport, Path, Any]) -> None:
    box = demo[0]
    headers = _headers(box, "board", "bgd")
    for kind, day in (("week", "2025-12-10"), ("month", "2025-11-15")):
        briefing = box.reporting.get(f"/api/v1/briefings/{kind}?day={day}", headers=headers)
        assert briefing.status_code == 200, briefing.text
        assert briefing.json()["changes"], kind


def test_the_evaluation_ranks_units(demo: tuple[Sandbox, DemoReport, Path, Any]) -> None:
    box = demo[0]
    evaluation = box.reporting.get("/api/v1/evaluations/2025", headers=_headers(box, "board", "bgd")).json()
    assert len(evaluation["units"]) >= 5
    assert sum(u["completed"] for u in evaluation["units"]) > 0
    assert evaluation["units"][0]["rank"] == 1


def test_alerts_of_several_kinds(demo: tuple[Sandbox, DemoReport, Path, Any]) -> None:
    box = demo[0]
    rules = box.loop.run(_alert_rules(box))
    assert len(rules) >= 3, rules


def test_every_page_says_it_is_simulated(demo: tuple[Sandbox, DemoReport, Path, Any]) -> None:
    box = demo[0]
    headers = _headers(box, "board", "bgd")
    for path in ("/dashboard", "/briefings/week?day=2025-12-10", "/evaluation", "/revisions", "/login"):
        page = box.reporting.get(path, headers=headers)
        assert page.status_code == 200, (path, page.status_code)
        assert "Dữ liệu mô phỏng" in page.text, path


def test_playing_the_same_seed_again_records_nothing_new(demo: tuple[Sandbox, DemoReport, Path, Any]) -> None:
    box, first, _, app = demo
    versions = {v["ref"]: v["version"] for v in app.list_tasks(box.settings.org, NOW)}
    store = PostgresBlobStore(box.settings.database_url, box.schema)
    try:
        again = play_year(app, EvidenceService(store, 20 * 1024 * 1024), box.settings.org, seed=SEED)
    finally:
        store.close()
    assert again.steps == first.steps  # the same commands, answered from their records
    assert {v["ref"]: v["version"] for v in app.list_tasks(box.settings.org, NOW)} == versions
