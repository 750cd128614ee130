"""Every table of every page downloads as an Excel workbook holding what the page shows."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reporting.exports.excel import HEADER_ROW, MIME
from tests.integration.reporting_web.conftest import Headers
from tests.integration.reporting_web.html import tables
from tests.unit.reporting_web.scenario import TASK_IDS

PAGES = {
    "/dashboard": ["units", "tasks"],
    "/units/ql-cndmst": ["tasks"],
    f"/tasks/{TASK_IDS['QL-CNDMST-01']}": ["progress", "history", "revisions"],
    "/revisions": ["revisions"],
    "/reports?period=2025-H1": ["units", "due", "completed", "overdue", "exceeding", "activity", "revisions"],
    "/briefings/week?day=2025-06-25": ["changes", "overdue", "due_next", "revisions"],
    "/briefings/month?day=2025-05-20": ["changes", "overdue", "due_next", "revisions"],
    "/evaluation?year=2025": ["units"],
}


def _excel_url(page: str, key: str) -> str:
    path, _, query = page.partition("?")
    return f"{path}/excel/{key}" + (f"?{query}" if query else "")


def _workbook(client: TestClient, url: str, headers: dict[str, str]) -> Worksheet:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text[:1000]
    assert response.headers["content-type"] == MIME
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return sheet


@pytest.mark.parametrize(("page", "key"), [(p, k) for p, keys in PAGES.items() for k in keys])
def test_each_table_downloads_with_the_pages_header_row_and_rows(client: TestClient, signed_in: Headers, page: str,
                                                                 key: str) -> None:
    board = signed_in("board", "bgd")
    html = client.get(page, headers=board).text
    assert f'href="{_excel_url(page, key).replace("&", "&amp;")}"' in html
    shown = tables(html).get(key)
    sheet = _workbook(client, _excel_url(page, key), board)
    header = [c.value for c in sheet[HEADER_ROW]]
    assert sheet["A2"].value == "Sở Khoa học và Công nghệ tỉnh Quảng Trị"
    if shown is not None:
        assert header == shown[0]
        assert sheet.max_row - HEADER_ROW == len(shown) - 1  # the same rows (and totals row)


def test_the_filtered_task_list_says_what_it_holds(client: TestClient, signed_in: Headers) -> None:
    sheet = _workbook(client, "/dashboard/excel/tasks?period=2025-Q2&as_of=2025-06-26", signed_in("office", "vp"))
    assert sheet["A1"].value == "Danh sách nhiệm vụ — Chương trình công tác trọng tâm năm 2025"
    assert sheet["A3"].value == "Số liệu tính đến ngày 26/06/2025. Lọc theo — Đến hạn trong kỳ: Quý II/2025."
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert [r[0] for r in rows] == ["QL-KH-01", "QL-TDC-01"]
    assert rows[0][7] == datetime(2025, 6, 30) and rows[0][8] == "Chờ xác nhận"


def test_an_unknown_table_is_a_404_naming_the_tables_there_are(client: TestClient, signed_in: Headers) -> None:
    response = client.get("/dashboard/excel/khac", headers=signed_in("office", "vp"))
    assert response.status_code == 404 and "có: units, tasks" in response.text


def test_the_evaluation_cannot_be_downloaded_by_a_unit(client: TestClient, signed_in: Headers) -> None:
    response = client.get("/evaluation/excel/units?year=2025", headers=signed_in("unit_head", "ql-kh"))
    assert response.status_code == 403 and response.headers["content-type"].startswith("text/html")
