"""Every text a store may hold goes into a workbook that opens, each cell showing its text, never a
formula. Pure (the workbook is written and read back in memory)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from reporting.exports.cells import cell_text
from reporting.exports.excel import HEADER_ROW, workbook_bytes
from reporting.exports.tables import Column, Kind, Row, Table

# (stored text, what the cell shows, quote prefix)
GOLDEN = [
    ('=HYPERLINK("http://x")', '=HYPERLINK("http://x")', True),
    ("+1", "+1", True),
    ("-xong", "-xong", True),
    ("@SUM(A1)", "@SUM(A1)", True),
    ("\t=1", "\t=1", True),
    ("=1+1", "=1+1", True),
    ("bad\u2400note", "bad\u2400note", False),  # a NUL as the consumers store it
    ("bad\x00note", "badnote", False),  # and as the event holds it: dropped, a workbook cannot hold it
    ("tab\x0bdọc", "tabdọc", False),
    ("x\uffffy\ufffez", "xyz", False),
    ("lone \ud800", "lone ", False),
    ("abc\u202edef", "abc\u202edef", False),  # shown as stored: a workbook holds it
    ("dòng 1\ndòng 2", "dòng 1\ndòng 2", False),
    ("Hoàn thành đúng hạn", "Hoàn thành đúng hạn", False),
    ("x" * 32_000, "x" * 32_000, False),
]


@pytest.mark.parametrize(("stored", "shown", "quoted"), GOLDEN)
def test_cell_text(stored: str, shown: str, quoted: bool) -> None:
    assert cell_text(stored).text == shown and cell_text(stored).quoted is quoted


def test_a_workbook_of_hostile_texts_opens_and_shows_each_text() -> None:
    texts = [stored for stored, _, _ in GOLDEN] + ["\r=1"]
    table = Table(key="t", title="Danh sách =1 \x00", columns=(Column("Ghi chú", Kind.TEXT), Column("Số", Kind.INT)),
                  rows=[Row((text, i)) for i, text in enumerate(texts)], notes=("=ghi chú",))
    book = load_workbook(io.BytesIO(workbook_bytes(table, "@Sở")))
    sheet = book.active
    assert sheet is not None
    for offset, (_, shown, quoted) in enumerate(GOLDEN, start=1):
        cell = sheet.cell(HEADER_ROW + offset, 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (shown, "s", quoted)
    assert sheet.cell(HEADER_ROW + len(GOLDEN) + 1, 1).data_type == "s"  # "\r=1": XML reads the CR back as LF
    assert (sheet.cell(2, 1).value, sheet.cell(2, 1).data_type) == ("@Sở", "s")
    assert sheet.cell(3, 1).quotePrefix
