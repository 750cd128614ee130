"""Any table view as an Excel workbook (openpyxl): a Vietnamese title, the organisation, the notes
(as of which day), then the header row and the rows. Cells keep their types — numbers, dates,
percentages — with Vietnamese display formats, so the workbook can be summed and sorted."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reporting.exports.cells import cell_text
from reporting.exports.formatting import colour
from reporting.exports.tables import Badge, Column, Kind, Table
from shared.vn import VN_TZ, fold

TITLE_ROW, ORG_ROW, NOTES_ROW, HEADER_ROW = 1, 2, 3, 4
FORMATS = {Kind.INT: "#,##0", Kind.NUMBER: "#,##0.##", Kind.PERCENT: "0.00%", Kind.DATE: "dd/mm/yyyy",
           Kind.DATETIME: "hh:mm dd/mm/yyyy"}
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(table: Table, org_name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(table.title)
    _heading(sheet, table, org_name)
    for offset, row in enumerate(table.rows, start=1):
        _write_row(sheet, HEADER_ROW + offset, table.columns, row.values)
    if table.footer is not None:
        _write_row(sheet, HEADER_ROW + len(table.rows) + 1, table.columns, table.footer, bold=True)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    if table.rows:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(table.columns))}{HEADER_ROW + len(table.rows)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(table: Table, day: date) -> str:
    """An ASCII file name from the Vietnamese title: "danh-sach-nhiem-vu-2025-06-30.xlsx"."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(table.title)).split()
    return f"{'-'.join(words)[:80] or table.key}-{day.isoformat()}.xlsx"


def _heading(sheet: Worksheet, table: Table, org_name: str) -> None:
    last, notes = max(len(table.columns), 1), " ".join(table.notes)
    for row, text, font in ((TITLE_ROW, table.title, Font(bold=True, size=14)), (ORG_ROW, org_name, Font(bold=True)),
                            (NOTES_ROW, notes, Font(italic=True))):
        _put(sheet.cell(row, 1), text).font = font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=row == NOTES_ROW, vertical="top")
    if len(notes) > 120:  # a long rule (the evaluation's) wraps over several lines
        sheet.row_dimensions[NOTES_ROW].height = 15 * (len(notes) // 120 + 1)
    for index, column in enumerate(table.columns, start=1):
        cell = _put(sheet.cell(HEADER_ROW, index), column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _fill(colour(column.colour) if column.colour else "#37474f")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BOX
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 45


def _write_row(sheet: Worksheet, row: int, columns: tuple[Column, ...], values: tuple[Any, ...],
               bold: bool = False) -> None:
    for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = _put(sheet.cell(row, index), _cell_value(value, column.kind))
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=column.kind is Kind.TEXT, vertical="top")
        if bold:
            cell.font = Font(bold=True)
        if column.kind in FORMATS:
            cell.number_format = FORMATS[column.kind]
        if isinstance(value, Badge):
            cell.fill = _fill(colour(value.colour, light=True))
            cell.font = Font(color=colour(value.colour).lstrip("#"), bold=bold)


def _put(cell: Cell, value: Any) -> Cell:
    """Sets a cell's value; text through cells.cell_text (shown as written, never a formula)."""
    if isinstance(value, str):
        text = cell_text(value)
        cell.value = text.text
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cell.quotePrefix = text.quoted
    else:
        cell.value = value
    return cell


def _cell_value(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if isinstance(value, Badge):
        return value.label
    if kind is Kind.PERCENT:
        return value / 100  # Excel's percent format multiplies by 100
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).replace(tzinfo=None)  # Excel has no time zones: Vietnam's civil time
    return value


def _fill(hex_colour: str) -> PatternFill:
    rgb = hex_colour.lstrip("#").upper()
    return PatternFill(start_color=rgb, end_color=rgb, fill_type="solid")


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in cell_text(title).text if ch not in "[]:*?/\\")
    return cleaned[:31] or "Bang"
