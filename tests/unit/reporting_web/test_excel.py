"""Excel exports: a Vietnamese title, the organisation, the as-of note, the header row, then typed cells
with Vietnamese display formats (dd/mm/yyyy, 98,62% as a percentage), status cells in their colours."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reporting.application.present import assessed, counts_view, history_entry
from reporting.application.read_store import HistoryRow
from reporting.application.views import UnitSummary
from reporting.domain.summary import count
from reporting.exports import excel
from reporting.exports.event_tables import history_table
from reporting.exports.formatting import COLOURS, as_of_note
from reporting.exports.tables import Column, Row, Table
from reporting.exports.task_tables import task_columns, tasks_table, units_table
from tests.unit.reporting_web.scenario import NOW, states, task_views

ORG = "Sở Khoa học và Công nghệ tỉnh Quảng Trị"


def _sheet(table: Table) -> Worksheet:
    book = load_workbook(io.BytesIO(excel.workbook_bytes(table, ORG)))
    sheet = book.active
    assert sheet is not None
    return sheet


def _row(sheet: Worksheet, n: int) -> list[object]:
    return [c.value for c in sheet[n]]


def test_a_task_list_has_its_title_organisation_note_and_header_row() -> None:
    table = tasks_table("tasks", "Danh sách nhiệm vụ — Chương trình công tác trọng tâm năm 2025", task_views(),
                        notes=(as_of_note(NOW),))
    sheet = _sheet(table)
    assert sheet["A1"].value == "Danh sách nhiệm vụ — Chương trình công tác trọng tâm năm 2025"
    assert sheet["A2"].value == ORG
    assert sheet["A3"].value == "Số liệu tính đến ngày 10/07/2025."
    assert _row(sheet, excel.HEADER_ROW) == [c.header for c in task_columns()]
    assert _row(sheet, excel.HEADER_ROW)[:3] == ["Mã", "Nhiệm vụ", "Đơn vị chủ trì"]
    assert [sheet.cell(r, 1).value for r in range(5, 10)] == [
        "QL-CNDMST-01", "QL-KH-01", "QL-TDC-01", "TT-CGCN-01", "VP-01"]
    assert sheet.freeze_panes == "A5" and sheet.auto_filter.ref == "A4:J9"


def test_cells_keep_their_types_with_vietnamese_display_formats() -> None:
    sheet = _sheet(tasks_table("tasks", "Danh sách nhiệm vụ", task_views()))
    headers = _row(sheet, excel.HEADER_ROW)
    blue = {h: sheet.cell(5, i + 1) for i, h in enumerate(headers)}
    assert blue["Hạn hoàn thành"].value == datetime(2025, 9, 30)
    assert blue["Hạn hoàn thành"].number_format == "dd/mm/yyyy"
    assert blue["Tỷ lệ so với chỉ tiêu"].value == pytest.approx(7 / 12)  # shown 58,33% in Excel
    assert blue["Tỷ lệ so với chỉ tiêu"].number_format == "0.00%"
    assert blue["Kết quả đạt được"].value == 7
    assert blue["Thời hạn (theo văn bản)"].value == "9/2025"
    assert blue["Trạng thái"].value == "Đang thực hiện trong hạn"
    assert blue["Trạng thái"].fill.start_color.rgb.endswith(COLOURS["blue"][1].lstrip("#").upper())
    red = {h: sheet.cell(9, i + 1) for i, h in enumerate(headers)}
    assert red["Trạng thái"].value == "Đang thực hiện quá hạn" and red["Tỷ lệ so với chỉ tiêu"].value is None


def test_counts_per_unit_end_with_the_whole_department_in_bold() -> None:
    tasks = assessed(states(), NOW)
    units = [UnitSummary(unit=t.state.unit, unit_name=t.state.unit, counts=counts_view(count([t]))) for t in tasks]
    table = units_table("units", "Kết quả theo đơn vị", units, counts_view(count(tasks)))
    sheet = _sheet(table)
    footer = _row(sheet, excel.HEADER_ROW + len(units) + 1)
    assert footer[:2] == ["Toàn Sở", 5]
    assert sheet.cell(excel.HEADER_ROW + len(units) + 1, 1).font.bold
    rate = _row(sheet, excel.HEADER_ROW).index("Tỷ lệ hoàn thành")
    assert footer[rate] == pytest.approx(0.4)  # 2 of 5 confirmed: 40,00%


def test_instants_are_written_in_vietnam_civil_time() -> None:
    row = HistoryRow(task_id=task_views()[0].task_id, version=2, event_type="ProgressReported", unit="ql-cndmst",
                     recorded_at=datetime.fromisoformat("2025-03-31T09:00:00+00:00"),
                     effective_at=datetime.fromisoformat("2025-03-31T16:59:59+00:00"),
                     as_of=NOW.date(), actor_name="Nguyễn Văn An", actor_role="unit_staff", note="Đã triển khai",
                     achieved_value=4, percent_of_target=40.0, details={"period": "2025-03", "evidence": []})
    sheet = _sheet(history_table([history_entry(row)], lambda u: u))
    assert sheet.cell(5, 2).value == datetime(2025, 3, 31, 16, 0)  # 09:00 UTC is 16:00 in Hà Nội
    assert sheet.cell(5, 2).number_format == "hh:mm dd/mm/yyyy"
    assert sheet.cell(5, 5).value == "Chuyên viên đơn vị"


def test_the_file_name_is_ascii_from_the_vietnamese_title() -> None:
    table = Table(key="x", title="Điều chỉnh chỉ tiêu, thời hạn — Quý II/2025", columns=(Column("A"),),
                  rows=[Row(("a",))])
    assert excel.filename(table, NOW.date()) == "dieu-chinh-chi-tieu-thoi-han-quy-ii-2025-2025-07-10.xlsx"


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells for 1 columns"):
        Table(key="x", title="t", columns=(Column("A"),), rows=[Row(("a", "b"))])


def test_an_empty_table_still_has_its_header_row() -> None:
    sheet = _sheet(tasks_table("tasks", "Nhiệm vụ quá hạn", []))
    assert _row(sheet, excel.HEADER_ROW)[0] == "Mã" and sheet.max_row == excel.HEADER_ROW
