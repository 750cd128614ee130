"""A property of the whole pipeline: any text the API accepts comes out unchanged (NFC) everywhere it
lands — the event store, the stream, the reporting read models, the notifications store, the audit
change index, the Excel cells — and, escaped, in the HTML pages. Hypothesis draws the texts (bounded
examples); the text goes in as a task's title (one line) and a progress report's note (long text)."""

from __future__ import annotations

import io
import json
import time
import unicodedata
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from openpyxl import load_workbook
from pydantic import BaseModel, ValidationError

from commitments.api.schemas import ProgressReportCreate, TaskCreate
from reporting.exports.excel import HEADER_ROW
from tests.integration.pipeline.stack import Stack

# Letters of every kind, what people type at the start of a cell, decomposed Vietnamese — and, less
# often, the characters the API refuses, so that both sides of the rule are drawn.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
LETTERS = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn"), exclude_characters=BIDI), min_size=1,
                  max_size=12)
TYPED_ON_A_LINE = ["=", "+", "-", "@", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "a\u0300", "e\u0323\u0302", "Đ",
                   "<b>&amp;</b>", "'\"", "😀", " ", "\u200f"]
TYPED = st.sampled_from([*TYPED_ON_A_LINE, "\t", "\n", "\r\n"])
REFUSED = st.sampled_from(["\x00", "\x0b", "\x85", "\u202e", "\u2066", "\uffff", "\ufdd0", "\r"])


def texts(typed: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    written = st.lists(st.one_of(LETTERS, typed), min_size=1, max_size=6).map("".join)
    spoilt = st.tuples(written, REFUSED, written).map("".join)
    return st.integers(0, 3).flatmap(lambda n: spoilt if n == 3 else written)  # one in four refused


LINES, LONG_TEXTS = texts(st.sampled_from(TYPED_ON_A_LINE)), texts(TYPED)


def accepted(model: type[BaseModel], body: dict[str, Any], field: str) -> str | None:
    """What the API stores in `field` (its own request model decides), or None if it refuses the body."""
    try:
        value: str = getattr(model.model_validate(body), field)
    except ValidationError:
        return None
    return value


def wait_for(read: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while (found := read()) in (None, [], ()):
        assert time.monotonic() < deadline, "the text never arrived"
        time.sleep(0.05)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(title=LINES, note=LONG_TEXTS)
def test_accepted_text_comes_out_unchanged_everywhere(stack: Stack, title: str, note: str) -> None:
    office, staff = stack.headers("office", "vp"), stack.headers("unit_staff", "ql-cndmst")
    body = {"program_year": 2025, "unit": "ql-cndmst", "title": title, "target": "ít nhất 10 doanh nghiệp",
            "deadline": "12/2025"}
    created = stack.commitments.post("/api/v1/tasks", json=body, headers=office)
    expected_title = accepted(TaskCreate, body, "title")
    event("title refused" if expected_title is None else "title accepted")
    if expected_title is None:
        assert created.status_code == 422 and created.json()["errors"][0]["field"] == "title"
        return
    assert created.status_code == 201, created.text
    task_id = created.json()["task_id"]
    report = {"as_of": "2025-06-30", "period": "2025-Q2", "achieved_value": 3, "note": note}
    reported = stack.commitments.post(f"/api/v1/tasks/{task_id}/progress-reports", json=report, headers=staff)
    expected_note = accepted(ProgressReportCreate, report, "note")
    event("note refused" if expected_note is None else "note accepted")
    if expected_note is None:
        assert reported.status_code == 422 and reported.json()["errors"][0]["field"] == "note"
        return
    assert reported.status_code == 200, reported.text
    assert unicodedata.is_normalized("NFC", expected_title) and unicodedata.is_normalized("NFC", expected_note)
    check_everywhere(stack, task_id, expected_title, expected_note)


def check_everywhere(stack: Stack, task_id: str, title: str, note: str) -> None:
    board = stack.headers("board", "bgd")
    # The event store (the write side's own history of the task).
    history = [e["event"] for e in stack.commitments.get(f"/api/v1/audit/tasks/{task_id}/history",
                                                         headers=board).json()["entries"]]
    assert (history[0]["title"], history[1]["note"]) == (title, note)
    # The stream: the published CloudEvents' data.
    stream = wait_for(lambda: stack.query("SELECT 1 FROM {r}.progress_history WHERE task_id = %s AND version = 2",
                                          task_id))
    assert stream
    on_stream = stream_data(stack, task_id)
    assert (on_stream[0]["title"], on_stream[1]["note"]) == (title, note)
    # The reporting read models.
    assert stack.query("SELECT title FROM {r}.task_status WHERE task_id = %s", task_id) == [(title,)]
    assert stack.query("SELECT note FROM {r}.progress_history WHERE task_id = %s AND version = 2", task_id) == [
        (note,)]
    # The notifications store.
    assert wait_for(lambda: stack.query("SELECT title FROM {n}.task_facts WHERE task_id = %s", task_id)) == [
        (title,)]
    # The audit change index.
    stack.seal()
    assert stack.query("SELECT event->>'title' FROM {c}.audit_changes WHERE task_id = %s AND version = 1",
                       task_id) == [(title,)]
    assert stack.query("SELECT event->>'note' FROM {c}.audit_changes WHERE task_id = %s AND version = 2",
                       task_id) == [(note,)]
    # The Excel cells and the HTML page.
    sheet_texts = excel_texts(stack, f"/tasks/{task_id}/excel/history", board)
    # The history's "what changed" cell begins with the note (then "; " and the change in words).
    assert note == "" or any(t == note or t.startswith(note + "; ") for t in sheet_texts), sheet_texts
    page = stack.reporting.get(f"/tasks/{task_id}", headers=board)
    assert page.status_code == 200 and str(escape(title)) in page.text
    assert str(escape(note)) in page.text


def stream_data(stack: Stack, task_id: str) -> list[dict[str, Any]]:
    """The task's events as the stream holds them, read with the NATS CLI's equivalent: the direct
    get of the last message on each of the task's subjects."""
    import asyncio

    from shared.messaging import connect

    async def read() -> list[dict[str, Any]]:
        nc = await connect(stack.nats_url, "pipeline-read", attempts=1)
        try:
            js = nc.jetstream()
            found = []
            for kind in ("TaskRegistered", "ProgressReported"):
                msg = await js.get_last_msg(stack.subjects.events_stream, stack.subjects.task_event("ql-cndmst", kind))
                found.append(json.loads(msg.data or b"{}"))
            return found
        finally:
            await nc.close()

    data = asyncio.run(read())
    assert all(d["task_id"] == task_id for d in data)
    return data


def excel_texts(stack: Stack, url: str, headers: dict[str, str]) -> list[str]:
    response = stack.reporting.get(url, headers=headers)
    assert response.status_code == 200, response.text[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    texts = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                texts.append(cell.value)
    return texts


