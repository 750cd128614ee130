"""Hostile text saved directly into the event store (through the application, bypassing the API's
text rules, as events accepted before them were): the publisher puts it on the stream, every
consumer applies it and parks nothing, health stays ok, the read models equal a rebuild, the audit
indexes it and verifies intact, the pages and every export open showing it."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from uuid import UUID

import psycopg
from openpyxl import load_workbook

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Submission
from commitments.audit.bootstrap import build_audit
from reporting.exports.cells import cell_text
from reporting.integration.rebuild import build_schema, drop_schema, fingerprint
from shared.messaging import connect
from shared.storable import storable
from tests.integration.pipeline.stack import Stack
from tests.integration.pipeline.test_text_property import wait_for
from tests.unit.audit.conftest import STAFF
from tests.unit.commitments.builders import report

HOSTILE = ["bad\x00note", "tab\x0bdọc", "abc\u202edef", "x\uffffy", '=HYPERLINK("http://x")', "+1", "@SUM(A1)",
           "\t=1", "\r=1", "dài " * 1_000]


def test_hostile_text_in_the_store_reaches_every_consumer_and_stops_none(stack: Stack) -> None:
    body = {"program_year": 2025, "unit": "ql-cndmst", "title": "Nhiệm vụ thử", "target": "ít nhất 10 doanh nghiệp",
            "deadline": "12/2025"}
    created = stack.commitments.post("/api/v1/tasks", json=body, headers=stack.headers("office", "vp"))
    task_id = UUID(created.json()["task_id"])
    app = stack.commitments.app.state.container.app  # type: ignore[attr-defined]
    batcher = CommandBatcher(app)
    for i, note in enumerate(HOSTILE, start=1):
        sub = Submission.of(report(task_id, i, as_of=date(2025, 6, 1 + i), period="2025-Q2", note=note,
                                   evidence=(note[:100],)), STAFF)
        batcher.execute([sub])
        sub.future.result()
    versions = len(HOSTILE) + 1
    expected = [storable(n.strip()) for n in HOSTILE]  # the domain trims notes; consumers store NUL as "␀"

    rows = wait_for(lambda: [] if len(found := stack.query(
        "SELECT note FROM {r}.progress_history WHERE task_id = %s AND version > 1 ORDER BY version",
        task_id)) < len(HOSTILE) else found)
    assert [r[0] for r in rows] == expected
    health = stack.reporting.get("/health").json()
    assert (health["status"], health["parked"]) == ("ok", 0)
    assert wait_for(lambda: stack.query("SELECT version FROM {n}.stream_task_versions WHERE task_id = %s AND "
                                        "version = %s", task_id, versions))
    assert stack.query("SELECT count(*) FROM {n}.stream_parked") == [(0,)]

    stack.seal()
    notes = stack.query("SELECT event->>'note' FROM {c}.audit_changes WHERE task_id = %s AND version > 1 "
                        "ORDER BY version", task_id)
    assert [n[0] for n in notes] == expected
    audit = build_audit(stack.audit, app)
    try:
        assert audit.verify().ok
    finally:
        audit.close()

    board = stack.headers("board", "bgd")
    assert stack.reporting.get(f"/tasks/{task_id}", headers=board).status_code == 200
    for table in ("history", "progress", "revisions"):
        response = stack.reporting.get(f"/tasks/{task_id}/excel/{table}", headers=board)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        # A CR reads back as written when openpyxl writes with lxml (&#13;), as LF without it.
        texts = [c.value.replace("\r", "\n") for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        if table == "history":
            for note in expected:
                shown = cell_text(note).text.replace("\r", "\n")
                assert any(t == shown or t.startswith(shown + "; ") for t in texts), note[:20]
    assert asyncio.run(_rebuild_equals_live(stack))


async def _rebuild_equals_live(stack: Stack) -> bool:
    nc = await connect(stack.nats_url, "pipeline-rebuild", attempts=1)
    live, check = stack.reporting_settings.db_schema, stack.reporting_settings.db_schema + "_check"
    try:
        await build_schema(nc, stack.reporting_settings, check)
        async with await psycopg.AsyncConnection.connect(stack.database_url, autocommit=True) as conn:
            try:
                return await fingerprint(conn, live) == await fingerprint(conn, check)
            finally:
                await drop_schema(conn, check)
    finally:
        await nc.close()
