"""A table view (reporting.exports.tables) as a Word table of an official report: thin borders, the header
row bold, centred and repeated on every page, numbers and rates right-aligned the Vietnamese way."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reporting.exports.docx_layout import TABLE, TEXT_WIDTH, Face, cell_padding, line, set_widths
from reporting.exports.formatting import cell_text
from reporting.exports.tables import Kind, Table

NUMERIC = (Kind.INT, Kind.NUMBER, Kind.PERCENT)


def word_table(doc: WordDocument, table: Table, *, size: float = TABLE.size,
               widths_mm: tuple[float, ...] | None = None) -> None:
    """`widths_mm` for a table of many narrow numbers; otherwise the columns share the page by their widths."""
    if not table.rows:
        line(doc, table.empty, Face(size, italic=True), align=WD_ALIGN_PARAGRAPH.LEFT, before=3)
        return
    total = sum(c.width for c in table.columns)
    widths = ([int(Mm(w)) for w in widths_mm] if widths_mm else
              [TEXT_WIDTH * c.width // total for c in table.columns])
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = grid.rows[0]
    _row_props(head._tr, header=True)
    for cell, column in zip(head.cells, table.columns, strict=True):
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        line(cell, column.header, Face(size, bold=True), first=True)
    rows = [r.values for r in table.rows] + ([table.footer] if table.footer else [])
    for n, values in enumerate(rows):
        bold = table.footer is not None and n == len(rows) - 1
        added = grid.add_row()
        _row_props(added._tr, header=False)
        cells = added.cells
        for cell, column, value in zip(cells, table.columns, values, strict=True):
            align = WD_ALIGN_PARAGRAPH.RIGHT if column.kind in NUMERIC else WD_ALIGN_PARAGRAPH.LEFT
            if column.header == "STT" or column.kind in (Kind.DATE, Kind.STATUS):
                align = WD_ALIGN_PARAGRAPH.CENTER
            line(cell, cell_text(value, column.kind), Face(size, bold=bold), align=align, first=True)
    set_widths(grid, widths)
    cell_padding(grid, 57)  # 1 mm: narrow columns of numbers keep their headers whole
    for note in table.notes:
        line(doc, note, Face(size, italic=True), align=WD_ALIGN_PARAGRAPH.LEFT, before=3)


def _row_props(tr: object, *, header: bool) -> None:
    """A row never splits across pages; the header row repeats on every page (cantSplit before tblHeader,
    the schema's order)."""
    props = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        node = OxmlElement(tag)
        node.set(qn("w:val"), "true")
        props.append(node)


def spacer(doc: WordDocument, points: float = 6) -> None:
    para = doc.add_paragraph()
    para.paragraph_format.space_before = Pt(0)
    para.paragraph_format.line_spacing = Pt(points)
