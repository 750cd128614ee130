"""Hostile text put directly on the stream (bypassing the API, as events accepted before the text
rules, or sent by anything else, would arrive): the reporting consumer applies every event, parks
none, stores each text as shared.storable says; the read models equal a rebuild; every page shows
the text escaped and every Excel export opens with each cell showing the text, never a formula."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from openpyxl import load_workbook

from reporting.api.app import create_app
from reporting.application import queries
from reporting.bootstrap import build
from reporting.exports.cells import cell_text
from reporting.exports.excel import HEADER_ROW
from reporting.integration.rebuild import build_schema, drop_schema, fingerprint
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token
from shared.contracts.v1 import TaskEventV1
from shared.storable import storable
from shared.stream_consumer.parking import count_parked
from tests.integration.reporting.conftest import Reporting
from tests.unit.reporting.builders import APPROVAL, ORG, TaskScript, at, message

NOW = at(date(2025, 7, 10), 10)
HOSTILE = ["bad\x00note", "tab\x0bdọc", "abc\u202edef", "x\uffffy", '=HYPERLINK("http://x")', "+1", "@SUM(A1)",
           "\t=1", "\r=1", "-2", "dài " * 3_000]


def hostile_story(i: int, text: str) -> tuple[TaskScript, list[TaskEventV1]]:
    task = TaskScript(f"HX-{i:02d}", "ql-cndmst", title=f"{text} {i}")
    registered = task.registered().model_copy(update={"description": text, "legal_basis": [text]})
    reported = task.progress(2.0, date(2025, 4, 1 + i), note=text).model_copy(update={"evidence": [text[:200]]})
    revised = task.revised(at(date(2025, 5, 2))).model_copy(
        update={"reason": text, "approval": APPROVAL.model_copy(update={"document": text[:200]})})
    return task, [registered, reported, revised]


def lone_surrogate_message(prefix: str) -> tuple[str, dict[str, str], bytes]:
    """A ProgressReported whose note is "\\ud800" in its JSON: no UTF-8 encoder makes one, a hand can."""
    task = TaskScript("HX-99")
    subject, headers, data = message(task.progress(1.0, date(2025, 4, 1), note="NOTE"), prefix)
    return subject, headers, data.replace(b'"NOTE"', b'"x\\ud800y"')


@pytest.fixture
async def stories(reporting: Reporting) -> list[tuple[TaskScript, str]]:
    made = [hostile_story(i, text) for i, text in enumerate(HOSTILE, start=1)]
    await reporting.publish([e for _, events in made for e in events])
    subject, headers, data = lone_surrogate_message(reporting.settings.subject_prefix)
    await reporting.nc.jetstream().publish(subject, data, headers=headers)
    await reporting.publish([made[0][0].progress(3.0, date(2025, 6, 1), note="sau")])  # and the stream goes on
    return [(task, text) for (task, _), text in zip(made, HOSTILE, strict=True)]


async def test_every_hostile_event_is_applied_and_none_parked(reporting: Reporting,
                                                              stories: list[tuple[TaskScript, str]]) -> None:
    consumer = await reporting.catch_up()
    assert consumer.stats.applied == 3 * len(HOSTILE) + 1 and consumer.stats.parked == 0
    assert consumer.stats.rejected == 1  # the lone surrogate is not valid JSON text: kept in stream_rejected
    async with await psycopg.AsyncConnection.connect(reporting.settings.database_url) as conn:
        assert await count_parked(conn, reporting.settings.db_schema, reporting.settings.consumer_name) == 0
    again = await reporting.catch_up()  # a restarted process still says so (for /health)
    assert (again.stats.rejected, again.stats.parked, again.stats.status) == (1, 0, "degraded")
    for task, text in stories:
        detail = await queries.task_detail(reporting.reads, ORG, task.task_id, now=NOW)
        dumped = json.dumps(asdict(detail), default=str, ensure_ascii=False)
        assert detail.task.title == storable(f"{text} {task.ref[3:].lstrip('0')}")
        assert json.dumps(storable(text), ensure_ascii=False)[1:-1] in dumped  # the note, the reason
        assert "\x00" not in dumped


async def test_the_read_models_equal_a_rebuild(reporting: Reporting, stories: list[tuple[TaskScript, str]]) -> None:
    await reporting.catch_up()
    check = reporting.settings.db_schema + "_check"
    await build_schema(reporting.nc, reporting.settings, check)
    async with await psycopg.AsyncConnection.connect(reporting.settings.database_url, autocommit=True) as conn:
        try:
            assert await fingerprint(conn, reporting.settings.db_schema) == await fingerprint(conn, check)
        finally:
            await drop_schema(conn, check)


@pytest.fixture
def web(reporting: Reporting, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    ensure_key_pair(tmp_path / "keys", "jwt")
    settings = reporting.settings.model_copy(update={"state_dir": tmp_path, "consume": False})
    verifier = TokenVerifier(issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                             public_key_file=settings.jwt_public_key_path)
    app = create_app(build(settings, token_verifier=verifier))
    app.state.clock = lambda: NOW
    token = mint_token(load_private_key(tmp_path / "keys" / "jwt.pem"), issuer="camket-dev", audience="camket",
                       user_id="board.bgd", name="Trần Ngọc Lâm", unit="bgd", roles=["board"])
    with TestClient(app, follow_redirects=False) as client:
        yield client, {"Authorization": f"Bearer {token}"}


def cells(client: TestClient, url: str, headers: dict[str, str]) -> list[Any]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text[:500]
    sheet = load_workbook(io.BytesIO(response.content)).active  # opens: nothing a workbook cannot hold
    assert sheet is not None
    found = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"  # never a formula
                assert cell.quotePrefix == cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
                found.append(cell.value)
    return found


async def test_pages_and_exports_show_the_text_and_never_evaluate_it(
        reporting: Reporting, stories: list[tuple[TaskScript, str]], web: tuple[TestClient, dict[str, str]]) -> None:
    await reporting.catch_up()
    client, headers = web
    overview = client.get("/dashboard?year=2025", headers=headers)
    assert overview.status_code == 200
    listed = cells(client, "/dashboard/excel/tasks?year=2025", headers)
    for task, text in stories:
        title = storable(f"{text} {task.ref[3:].lstrip('0')}")
        assert str(escape(title)) in overview.text
        # A CR comes back as written when openpyxl writes with lxml (&#13;), as LF without it.
        assert cell_text(title).text.replace("\r", "\n") in {v.replace("\r", "\n") for v in listed}
        page = client.get(f"/tasks/{task.task_id}", headers=headers)
        assert page.status_code == 200 and str(escape(storable(text).strip())) in page.text
        history = cells(client, f"/tasks/{task.task_id}/excel/history", headers)
        assert any(cell_text(storable(text)).text.strip() in value for value in history)
        cells(client, f"/tasks/{task.task_id}/excel/revisions", headers)
        cells(client, f"/tasks/{task.task_id}/excel/progress", headers)
    for url in ("/revisions/excel/revisions", "/reports/excel/revisions?period=2025-H1",
                "/reports/excel/activity?period=2025-H1", "/briefings/month/excel/changes?day=2025-05-20"):
        cells(client, url, headers)
    for url in ("/revisions", "/reports?period=2025-H1", "/reports/print?period=2025-H1",
                "/briefings/month?day=2025-05-20"):
        page = client.get(url, headers=headers)
        assert page.status_code == 200 and "\x00" not in page.text
