"""The period report and the year-end evaluation as Word documents laid out per Decree 30/2020/NĐ-CP,
read back with python-docx: the page, the margins, the fonts of every element, the header, the page numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from reporting.application.report_views import Evaluation, PeriodReport, UnitEvaluationView
from reporting.exports.cells import document_text
from reporting.exports.docx_reports import evaluation_docx, period_report_docx
from reporting.exports.formatting import day_words
from tests.unit.reporting_web.scenario import period_report_q2

EMU_PER_MM = 36000
HOSTILE = "Nhiệm vụ\x00 có\x0b ký tự\u202e điều khiển\u2066 =SUM(A1)\ufffe"


def _open(data: bytes) -> WordDocument:
    return Document(BytesIO(data))


def _report() -> WordDocument:
    return _open(period_report_docx(period_report_q2(), issued_on=date(2025, 7, 10)))


def _mm(length: int | None) -> float:
    assert length is not None
    return round(length / EMU_PER_MM, 1)


def _face(para: Paragraph) -> tuple[float | None, bool, bool]:
    """(size in points, bold, italic) of the paragraph's runs, all alike."""
    runs = [r for r in para.runs if r.text]
    assert runs, para.text
    faces = {(r.font.size.pt if r.font.size else None, bool(r.font.bold), bool(r.font.italic)) for r in runs}
    assert len(faces) == 1, faces
    return faces.pop()


def _cell_lines(table: Table, row: int, col: int) -> list[Paragraph]:
    return [p for p in table.cell(row, col).paragraphs if p.text]


def test_a4_portrait_with_the_decrees_margins() -> None:
    section = _report().sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210.0, 297.0)
    top, bottom, left, right = (_mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                                   section.right_margin))
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20


def test_every_run_is_times_new_roman_13_or_14_in_the_body() -> None:
    doc = _report()
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(k)) for k in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Times New Roman"}
    runs = [r for p in doc.paragraphs for r in p.runs if r.text]
    assert runs and all(r.font.name in (None, "Times New Roman") for r in runs)  # none overrides the face
    body = [p for p in doc.paragraphs if p.text.startswith("Chương trình công tác trọng tâm năm 2025")]
    assert body and all(r.font.size is None for r in body[0].runs)  # the style's 14 pt


def test_the_header_table_sets_each_element_as_the_decree_does() -> None:
    doc = _report()
    header = doc.tables[0]
    issuer, nation = _cell_lines(header, 0, 0), _cell_lines(header, 0, 1)
    assert [p.text for p in issuer] == ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert _face(issuer[0]) == (12, False, False) and _face(issuer[1]) == (12, True, False)
    assert [p.text for p in nation] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert _face(nation[0]) == (12, True, False) and _face(nation[1]) == (14, True, False)
    (number,), (place,) = _cell_lines(header, 1, 0), _cell_lines(header, 1, 1)
    assert number.text == "Số: …/BC-SKHCN" and _face(number) == (13, False, False)
    assert place.text == "Quảng Trị, ngày 10 tháng 7 năm 2025" and _face(place) == (14, False, True)
    # the short rules under the issuing body and under the motto are paragraph borders (nothing floating)
    assert sum(len(c._tc.xpath(".//w:pBdr/w:bottom")) for c in header.rows[0].cells) == 2
    assert not doc.element.body.xpath(".//w:txbxContent | .//w:drawing | .//w:pict")
    # in the schema's order (Word refuses a file otherwise): pBdr before spacing and ind, tblCellMar before tblLook
    for ppr in header._tbl.xpath(".//w:pPr[w:pBdr]"):
        assert [c.tag.split("}")[1] for c in ppr][:3] == ["pBdr", "spacing", "ind"]
    assert [c.tag.split("}")[1] for c in header._tbl.tblPr][-2:] == ["tblCellMar", "tblLook"]
    borders = header._tbl.xpath("./w:tblPr/w:tblBorders")
    assert not borders or not borders[0].xpath("./*[@w:val!='none' and @w:val!='nil']")


def test_the_title_and_the_body_with_figures_written_the_vietnamese_way() -> None:
    doc = _report()
    texts = [p.text for p in doc.paragraphs]
    kind = texts.index("BÁO CÁO")
    assert texts[kind + 1] == "Kết quả thực hiện Chương trình công tác trọng tâm — Quý II/2025"
    assert _face(doc.paragraphs[kind]) == (14, True, False) and _face(doc.paragraphs[kind + 1]) == (14, True, False)
    body = "\n".join(texts)
    assert "Quý II/2025: từ ngày 01/04/2025 đến ngày 30/06/2025." in body
    assert "đạt tỷ lệ 40,00%" in body and "I. TÌNH HÌNH CHUNG" in texts and "III. NHIỆM VỤ ĐẾN HẠN TRONG KỲ" in texts
    units = doc.tables[1]
    assert units.rows[0].cells[0].text == "STT" and units.rows[-1].cells[1].text == "Toàn Sở"
    assert units.rows[-1].cells[8].text == "40,00%"
    assert units.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # the header row repeats on every page
    assert all(r._tr.xpath("./w:trPr/w:cantSplit") for r in units.rows)  # and no row splits across two
    assert body.rstrip().endswith("./.") or any(t.endswith("./.") for t in texts)


def test_page_numbers_from_page_two_centred_in_the_top_margin() -> None:
    section = _report().sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.is_linked_to_previous
    assert not section.first_page_header._element.xpath(".//w:instrText")
    (para,) = section.header.paragraphs
    assert para.alignment == 1  # centred
    assert [t.text.strip() for t in para._p.xpath(".//w:instrText")] == ["PAGE"]
    assert [f.get(qn("w:fldCharType")) for f in para._p.xpath(".//w:fldChar")] == ["begin", "separate", "end"]
    assert para.runs[0].font.size.pt == 14


def test_recipients_and_the_signature_block() -> None:
    doc = _report()
    sign = doc.tables[-1]
    recipients, signer = _cell_lines(sign, 0, 0), _cell_lines(sign, 0, 1)
    assert [p.text for p in recipients] == ["Nơi nhận:", "- Ban Giám đốc Sở;", "- Các phòng, đơn vị thuộc Sở;",
                                            "- Lưu: VT, VP."]
    assert _face(recipients[0]) == (12, True, True) and _face(recipients[1]) == (11, False, False)
    assert signer[0].text == "GIÁM ĐỐC" and _face(signer[0]) == (14, True, False)
    named = _open(period_report_docx(period_report_q2(), issued_on=date(2025, 7, 10), signer_name="Nguyễn Văn A"))
    assert _cell_lines(named.tables[-1], 0, 1)[-1].text == "Nguyễn Văn A"


def test_the_evaluation_is_an_official_report_too() -> None:
    unit = UnitEvaluationView(rank=1, unit="ql-kh", unit_name="Phòng Quản lý khoa học", assigned=4, cancelled=0,
                              suspended=0, completed=3, completed_on_time=3, completed_late=0, quantitative=2,
                              exceeding_target=1, on_time_share=75.0, exceeding_share=50.0, completed_share=75.0)
    doc = _open(evaluation_docx(Evaluation(org="qt-skhcn", org_name="Sở Khoa học và Công nghệ tỉnh Quảng Trị",
                                           program_year=2025, rule="Xếp theo tỷ lệ hoàn thành đúng hạn.",
                                           units=[unit]), issued_on=date(2026, 1, 5)))
    assert _cell_lines(doc.tables[0], 1, 1)[0].text == "Quảng Trị, ngày 05 tháng 01 năm 2026"
    texts = [p.text for p in doc.paragraphs]
    assert "Đánh giá kết quả thực hiện nhiệm vụ năm 2025 phục vụ công tác thi đua, khen thưởng" in texts
    assert [c.text for c in doc.tables[1].rows[1].cells] == ["1", "Phòng Quản lý khoa học", "4", "3", "3", "0", "1",
                                                           "75,00%", "50,00%"]
    assert doc.sections[0].different_first_page_header_footer


def test_any_stored_text_makes_a_document_that_opens_and_reads_as_written() -> None:
    report = period_report_q2()
    due = [replace(v, title=HOSTILE) for v in report.due_in_period]
    hostile: PeriodReport = replace(report, due_in_period=due)
    doc = _open(period_report_docx(hostile, issued_on=date(2025, 7, 10), unit_name="Phòng\x1f A\u202d"))
    cells = [c.text for row in doc.tables[2].rows for c in row.cells]
    assert any("Nhiệm vụ có ký tự điều khiển =SUM(A1)" in c for c in cells)
    assert "Kết quả thực hiện Chương trình công tác trọng tâm của Phòng A — Quý II/2025" in [p.text for p in
                                                                                           doc.paragraphs]


@pytest.mark.parametrize(("text", "expected"), [
    ("Bình thường", "Bình thường"),
    ("a\x00b\x0bc\x1fd", "abcd"),  # what XML cannot hold
    ("\u202eđảo\u202c \u2066chiều\u2069", "đảo chiều"),  # bidirectional controls
    ("=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"),  # no formulas in a document: left as written
    ("dòng 1\ndòng 2\tcột", "dòng 1\ndòng 2\tcột"),
    ("\ud800lẻ\uffff", "lẻ"),
])
def test_document_text_golden_cases(text: str, expected: str) -> None:
    assert document_text(text) == expected


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 1, 5), "ngày 05 tháng 01 năm 2025"),  # a 0 before a day below 10 and before months 1 and 2
    (date(2025, 2, 28), "ngày 28 tháng 02 năm 2025"),
    (date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
    (date(2025, 7, 10), "ngày 10 tháng 7 năm 2025"),
    (date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
])
def test_the_date_line_writes_days_and_months_as_the_decree_does(day: date, expected: str) -> None:
    assert day_words(day) == expected
