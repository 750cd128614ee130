"""An administrative document as plain editable Word, laid out as Decree 30/2020/NĐ-CP (Phụ lục I) sets it:
A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the issuing body beside
the national name and motto in a borderless table, the number line beside the italic place and date line; the
page number centred in the top margin from page 2; the recipients beside the signature block.

Sizes (points) and faces per element are the decree's; the office edits and signs the file in its document
system, so everything is styles, paragraphs and tables (no text box, no shape: the rules are paragraph borders).
"""

from __future__ import annotations

from dataclasses import dataclass

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as _Table
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from reporting.exports.cells import document_text
from reporting.exports.official import OfficialHeader

FONT = "Times New Roman"
BODY_PT = 14  # body text 13–14
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = Mm(210 - 30 - 15)
ISSUER_WIDTH, NATION_WIDTH = Mm(70), Mm(95)


@dataclass(frozen=True)
class Face:
    size: float
    bold: bool = False
    italic: bool = False


# Phụ lục I, Nghị định 30/2020/NĐ-CP: each element's size and face.
GOVERNING = Face(12)  # tên cơ quan chủ quản: in hoa, 12–13, đứng
ISSUING = Face(12, bold=True)  # tên cơ quan ban hành: in hoa, 12–13, đứng, đậm (one line at 12)
NATION = Face(12, bold=True)  # quốc hiệu: in hoa, 12–13, đứng, đậm (13 does not fit one line beside the bodies)
MOTTO = Face(14, bold=True)  # tiêu ngữ: in thường, 13–14, đứng, đậm
NUMBER = Face(13)  # số, ký hiệu: 13, đứng
PLACE_DATE = Face(14, italic=True)  # địa danh, ngày tháng: in thường, 13–14, nghiêng
KIND = Face(14, bold=True)  # tên loại văn bản: in hoa, 13–14, đứng, đậm
SUBJECT = Face(14, bold=True)  # trích yếu nội dung: in thường, 13–14, đứng, đậm
RECIPIENTS_TITLE = Face(12, bold=True, italic=True)  # "Nơi nhận:": 12, nghiêng, đậm
RECIPIENT = Face(11)  # each recipient: 11, đứng
SIGNER_TITLE = Face(14, bold=True)  # chức vụ người ký: in hoa, 13–14, đứng, đậm
SIGNER_NAME = Face(14, bold=True)  # họ tên người ký: in thường, 13–14, đứng, đậm
PAGE_NUMBER = Face(14)  # số trang: 13–14, đứng
TABLE = Face(12)
# What may follow w:pBdr in a paragraph's properties (ECMA-376 order; python-docx keeps its own list private).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def new_document() -> WordDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _all_scripts(normal.element.get_or_add_rPr())  # Vietnamese letters are not ASCII: set every script's font
    normal.paragraph_format.space_before, normal.paragraph_format.space_after = Pt(6), Pt(0)
    normal.paragraph_format.line_spacing = 1.15  # between single and 1,5 lines
    _page_numbers(doc)
    return doc


def write(paragraph: Paragraph | _Cell, text: str, face: Face | None = None) -> None:
    """A run of stored text (made safe for the document) in `face`; a cell gets it in its first paragraph."""
    target = paragraph.paragraphs[0] if isinstance(paragraph, _Cell) else paragraph
    run = target.add_run(document_text(text))
    if face is not None:
        run.font.size, run.font.bold, run.font.italic = Pt(face.size), face.bold, face.italic


def line(container: WordDocument | _Cell, text: str, face: Face, *, align: int = WD_ALIGN_PARAGRAPH.CENTER,
         before: float = 0, first: bool = False) -> Paragraph:
    para = container.paragraphs[0] if first and isinstance(container, _Cell) else container.add_paragraph()
    para.alignment = align
    para.paragraph_format.space_before = Pt(before)
    para.paragraph_format.line_spacing = 1.0
    write(para, text, face)
    return para


def rule(container: WordDocument | _Cell, width: int, within: int) -> None:
    """The short solid line under the issuing body, the motto and the subject: a bottom border on an empty
    paragraph `width` wide, centred in `within` (EMU), kept tiny so it sits right under the text."""
    para = container.add_paragraph()
    fmt = para.paragraph_format
    fmt.left_indent = fmt.right_indent = (within - width) // 2
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr = para._p.get_or_add_pPr()  # Word refuses a file whose properties are out of the schema's order
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def official_heading(doc: WordDocument, header: OfficialHeader) -> None:
    """The two-by-two borderless table of the decree's template: bodies | nation and motto, number | place
    and date (two rows, so the number and the date stay on one line whatever the bodies' lengths)."""
    table = borderless(doc, (ISSUER_WIDTH, NATION_WIDTH), rows=2)
    issuer, nation = table.rows[0].cells
    if header.governing_body:
        line(issuer, header.governing_body, GOVERNING, first=True)
    line(issuer, header.issuing_body, ISSUING, first=not header.governing_body)
    rule(issuer, Mm(24), ISSUER_WIDTH)
    line(nation, header.nation, NATION, first=True)
    line(nation, header.motto, MOTTO)
    rule(nation, Mm(64), NATION_WIDTH)
    number, place_date = table.rows[1].cells
    line(number, header.number_line, NUMBER, first=True, before=6)
    line(place_date, header.place_date, PLACE_DATE, first=True, before=6)


def title(doc: WordDocument, kind: str, subject: str) -> None:
    line(doc, kind, KIND, before=18)
    line(doc, subject, SUBJECT)
    rule(doc, Mm(40), TEXT_WIDTH)


def heading(doc: WordDocument, text: str) -> Paragraph:
    """A section heading "I. TÌNH HÌNH CHUNG": bold, indented like the body."""
    para = body(doc, text)
    para.alignment = WD_ALIGN_PARAGRAPH.LEFT
    para.runs[0].font.bold = True
    para.paragraph_format.keep_with_next = True
    return para


def body(doc: WordDocument, text: str) -> Paragraph:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para.paragraph_format.first_line_indent = Cm(1)  # 1–1,27 cm
    write(para, text)
    return para


def signature(doc: WordDocument, recipients: tuple[str, ...], signer_title: str, signer_name: str) -> None:
    """"Nơi nhận:" and its list on the left, the signer's title, room to sign and seal, and the name."""
    table = borderless(doc, (Mm(80), Mm(85)), rows=1, before=12)
    left, right = table.rows[0].cells
    line(left, "Nơi nhận:", RECIPIENTS_TITLE, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for text in recipients:
        line(left, text, RECIPIENT, align=WD_ALIGN_PARAGRAPH.LEFT)
    line(right, signer_title, SIGNER_TITLE, first=True)
    line(right, "", SIGNER_NAME, before=72)  # room for the signature and the seal
    line(right, signer_name, SIGNER_NAME)


def borderless(doc: WordDocument, widths: tuple[int, ...], *, rows: int, before: float = 0) -> _Table:
    if before:
        doc.add_paragraph().paragraph_format.space_before = Pt(before - 6)
    table: _Table = doc.add_table(rows=rows, cols=len(widths))  # the default table style has no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths)
    cell_padding(table, 0)  # the texts are centred: the whole width is theirs
    return table


def set_widths(table: _Table, widths: tuple[int, ...] | list[int]) -> None:
    """Both the grid (what LibreOffice lays out by) and each cell (what Word shows) get the widths."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def cell_padding(table: _Table, twips: int) -> None:
    """The space left and right inside every cell (Word's default is 108 twips, 1,9 mm)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(twips))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    tblpr = table._tbl.tblPr
    tblpr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _page_numbers(doc: WordDocument) -> None:
    """No number on the first page; from page 2 a PAGE field centred in the header (the top margin)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # its own, empty header: no number on page 1
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    run.font.size = Pt(PAGE_NUMBER.size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        run._r.append(node)


def _all_scripts(rpr: object) -> None:
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)

