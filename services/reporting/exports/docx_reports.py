"""The period report and the year-end evaluation as official reports in Word (Decree 30/2020/NĐ-CP), with
the same figures and tables as the printable HTML report; the office edits, numbers and signs them."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx.document import Document as WordDocument

from reporting.application.report_views import Evaluation, PeriodReport
from reporting.exports import docx_layout as layout
from reporting.exports.docx_tables import spacer, word_table
from reporting.exports.formatting import number, percent
from reporting.exports.official import official_header
from reporting.exports.printable import ROMAN, SECTIONS, report_title
from reporting.exports.report_tables import compact, compact_revisions, compact_units, period_tables
from reporting.exports.tables import Column, Kind, Row, Table
from shared.vn import format_date, format_datetime

REPORT_RECIPIENTS = ("- Ban Giám đốc Sở;", "- Các phòng, đơn vị thuộc Sở;", "- Lưu: VT, VP.")
EVALUATION_RECIPIENTS = ("- Ban Giám đốc Sở;", "- Hội đồng Thi đua - Khen thưởng Sở;", "- Thanh tra Sở;",
                         "- Lưu: VT, VP.")
SIGNER = "GIÁM ĐỐC"
# Column widths (mm, 165 in all) where a rate "100,00%" must stay on one line.
UNITS_MM = (10, 37, 12, 13, 13, 13, 13, 13, 20.5, 20.5)
EVALUATION_MM = (12, 40, 14, 14, 14, 14, 14, 21.5, 21.5)
TASKS_MM = (11, 52, 27, 25, 27, 23)
REVISIONS_MM = (11, 28, 48, 28, 28, 22)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def period_report_docx(report: PeriodReport, *, issued_on: date, unit_name: str | None = None,
                       signer_name: str = "") -> bytes:
    doc = layout.new_document()
    layout.official_heading(doc, official_header(issued_on, report.org))
    layout.title(doc, "BÁO CÁO", report_title(report, unit_name))
    p = report.period
    running = "" if report.final else " (kỳ báo cáo chưa kết thúc)"
    layout.body(doc, f"{p.label}: từ ngày {format_date(p.first_day)} đến ngày {format_date(p.last_day)}. "
                     f"Số liệu tính đến {format_datetime(report.as_of)}{running}.")
    _general(doc, report)
    layout.heading(doc, "II. KẾT QUẢ THEO ĐƠN VỊ")
    word_table(doc, compact_units(report), size=10, widths_mm=UNITS_MM)
    tables = period_tables(report)
    sections = [(t, compact(tables[key]), TASKS_MM) for key, t in SECTIONS]
    sections.append(("Điều chỉnh chỉ tiêu, thời hạn có hiệu lực trong kỳ", compact_revisions(report), REVISIONS_MM))
    for n, (section_title, table, widths) in enumerate(sections, start=2):
        layout.heading(doc, f"{ROMAN[n]}. {section_title.upper()}")
        word_table(doc, table, size=11, widths_mm=widths)
    whose = f" của {unit_name}" if unit_name else ""
    layout.body(doc, f"Trên đây là báo cáo kết quả thực hiện Chương trình công tác trọng tâm{whose} {p.label} "
                     f"của {report.org_name}./.")
    layout.signature(doc, REPORT_RECIPIENTS, SIGNER, signer_name)
    return _bytes(doc)


def _general(doc: WordDocument, report: PeriodReport) -> None:
    s, a = report.summary, report.activity
    layout.heading(doc, "I. TÌNH HÌNH CHUNG")
    layout.body(doc, f"Chương trình công tác trọng tâm năm {report.program_year} có {number(s.total)} nhiệm vụ, "
                     f"trong đó {number(s.counted)} nhiệm vụ được tính vào tỷ lệ (không tính nhiệm vụ đã hủy, tạm "
                     f"hoãn). Đã hoàn thành {number(s.completed)} nhiệm vụ, đạt tỷ lệ {_rate(s.completion_rate)}; "
                     f"trong đó hoàn thành đúng hạn {number(s.completed_on_time)} nhiệm vụ (tỷ lệ "
                     f"{_rate(s.on_time_rate)}), hoàn thành quá hạn {number(s.completed_late)} nhiệm vụ. Có "
                     f"{number(s.exceeding_target)} nhiệm vụ vượt chỉ tiêu.")
    for st in s.by_status:
        if st.count:
            layout.body(doc, f"- {st.label}: {number(st.count)} nhiệm vụ;")
    layout.body(doc, f"Trong kỳ, các đơn vị đã gửi {number(a.progress_reports)} báo cáo tiến độ và "
                     f"{number(a.completion_requests)} đề nghị xác nhận hoàn thành; Ban Giám đốc đã xác nhận hoàn "
                     f"thành {number(a.completions)} nhiệm vụ ({number(a.completed_on_time)} đúng hạn, "
                     f"{number(a.completed_late)} quá hạn), không xác nhận {number(a.rejections)} đề nghị, điều "
                     f"chỉnh chỉ tiêu, thời hạn {number(a.revisions)} lượt.")


def evaluation_docx(evaluation: Evaluation, *, issued_on: date, signer_name: str = "") -> bytes:
    doc = layout.new_document()
    layout.official_heading(doc, official_header(issued_on, evaluation.org))
    year = evaluation.program_year
    layout.title(doc, "BÁO CÁO", f"Đánh giá kết quả thực hiện nhiệm vụ năm {year} phục vụ công tác thi đua, "
                                 "khen thưởng")
    layout.heading(doc, "I. QUY TẮC ĐÁNH GIÁ")
    layout.body(doc, evaluation.rule)
    layout.heading(doc, "II. KẾT QUẢ ĐÁNH GIÁ CÁC ĐƠN VỊ")
    word_table(doc, compact_evaluation(evaluation), size=10, widths_mm=EVALUATION_MM)
    spacer(doc)
    layout.body(doc, f"Trên đây là kết quả đánh giá thực hiện Chương trình công tác trọng tâm năm {year} của các "
                     f"đơn vị thuộc {evaluation.org_name}, làm căn cứ xét thi đua, khen thưởng./.")
    layout.signature(doc, EVALUATION_RECIPIENTS, SIGNER, signer_name)
    return _bytes(doc)


def compact_evaluation(evaluation: Evaluation) -> Table:
    """The evaluation narrowed to an A4 portrait page: rank, unit, counts and the two shares that rank."""
    columns = (Column("Xếp hạng", Kind.INT, 8), Column("Đơn vị", width=34), Column("Được giao", Kind.INT, 9),
               Column("Hoàn thành", Kind.INT, 10), Column("Đúng hạn", Kind.INT, 9), Column("Quá hạn", Kind.INT, 9),
               Column("Vượt chỉ tiêu", Kind.INT, 9), Column("Tỷ lệ đúng hạn", Kind.PERCENT, 12),
               Column("Tỷ lệ vượt chỉ tiêu", Kind.PERCENT, 12))
    rows = [Row((u.rank, u.unit_name, u.assigned, u.completed, u.completed_on_time, u.completed_late,
                 u.exceeding_target, u.on_time_share, u.exceeding_share)) for u in evaluation.units]
    return Table(key="units", title=f"Đánh giá kết quả thực hiện nhiệm vụ năm {evaluation.program_year}",
                 columns=columns, rows=rows, empty="Chưa có đơn vị nào có nhiệm vụ.")


def _rate(value: float | None) -> str:
    return percent(value) or percent(0.0)


def _bytes(doc: WordDocument) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
