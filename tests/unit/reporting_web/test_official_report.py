"""The printable report of a period in the layout of an official Vietnamese administrative report."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from reporting.exports.official import abbreviation, official_header, split_name
from reporting.exports.printable import render_period_report
from shared.catalog import organisation
from tests.unit.reporting_web.scenario import period_report_q2


class _Text(HTMLParser):
    """The document's visible text, one line per block, and the texts of its table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.chunks.append(re.sub(r"\s+", " ", data.strip()))


def _text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks


def test_the_header_names_the_nation_the_bodies_the_number_and_the_place_and_date() -> None:
    header = official_header(date(2025, 7, 5))
    assert header.nation == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header.motto == "Độc lập - Tự do - Hạnh phúc"
    assert header.governing_body == "UBND TỈNH QUẢNG TRỊ"
    assert header.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert header.number_line == "Số: …/BC-SKHCN"
    assert header.place_date == "Quảng Trị, ngày 05 tháng 7 năm 2025"


def test_the_bodies_and_code_come_from_the_organisations_reference_data() -> None:
    org = organisation()
    assert split_name(org) == ("Sở Khoa học và Công nghệ", "UBND tỉnh Quảng Trị")
    assert abbreviation(org) == "SKHCN"


def test_the_printed_report_reads_as_an_official_report() -> None:
    html = render_period_report(period_report_q2(), issued_on=date(2025, 7, 10))
    lines = _text(html)
    head = lines[lines.index("UBND TỈNH QUẢNG TRỊ"):]
    assert head[:6] == ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        "Độc lập - Tự do - Hạnh phúc", "Số: …/BC-SKHCN", "Quảng Trị, ngày 10 tháng 7 năm 2025"]
    assert head[6:8] == ["BÁO CÁO", "Kết quả thực hiện Chương trình công tác trọng tâm — Quý II/2025"]
    assert "I. TÌNH HÌNH CHUNG" in lines and "II. KẾT QUẢ THEO ĐƠN VỊ" in lines
    assert "III. NHIỆM VỤ ĐẾN HẠN TRONG KỲ" in lines
    signature = lines[lines.index("Nơi nhận:"):]
    assert signature == ["Nơi nhận:", "- Ban Giám đốc Sở;", "- Các phòng, đơn vị thuộc Sở;", "- Lưu: VT, VP.",
                         "GIÁM ĐỐC", "(Ký, ghi rõ họ tên, đóng dấu)"]


def test_the_body_states_the_rates_and_lists_the_tasks_due_the_vietnamese_way() -> None:
    lines = _text(render_period_report(period_report_q2(), issued_on=date(2025, 7, 10)))
    body = " ".join(lines)
    assert "Quý II/2025: từ ngày 01/04/2025 đến ngày 30/06/2025." in body
    assert "Số liệu tính đến 23:59 30/06/2025." in body
    assert "40,00%" in body  # 2 of 5 tasks confirmed
    assert "QL-KH-01. Tổ chức hội thảo khoa học về Nghị quyết 57" in lines
    assert "6/2025 (30/06/2025)" in lines and "Hoàn thành đúng hạn" in lines


def test_the_print_stylesheet_sets_an_a4_page_and_hides_the_toolbar() -> None:
    html = render_period_report(period_report_q2(), issued_on=date(2025, 7, 10))
    assert "@page { size: A4 portrait" in html
    assert ".no-print { display: none; }" in html.split("@media print")[1]
