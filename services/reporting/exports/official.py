"""The header of an official Vietnamese administrative document (thể thức văn bản hành chính, Nghị định
30/2020/NĐ-CP): the governing and issuing bodies on the left with the number line, the national name
and motto on the right with the place and date line. Derived from the organisation's reference data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reporting.exports.formatting import day_words
from shared.catalog import Organisation, organisation
from shared.vn import fold

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
REPORT_CODE = "BC"  # báo cáo
NUMBER_PLACEHOLDER = "…"  # filled in by the office's document register when the report is issued


@dataclass(frozen=True)
class OfficialHeader:
    governing_body: str  # "UBND TỈNH QUẢNG TRỊ"
    issuing_body: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    number_line: str  # "Số: …/BC-SKHCN"
    place_date: str  # "Quảng Trị, ngày 05 tháng 7 năm 2025"
    nation: str = NATION
    motto: str = MOTTO


def official_header(day: date, org_code: str = "qt-skhcn") -> OfficialHeader:
    org = organisation(org_code)
    body, governing = split_name(org)
    return OfficialHeader(governing_body=governing.upper(), issuing_body=body.upper(),
                          number_line=f"Số: {NUMBER_PLACEHOLDER}/{REPORT_CODE}-{abbreviation(org)}",
                          place_date=f"{org.place}, {day_words(day)}")


def split_name(org: Organisation) -> tuple[str, str]:
    """("Sở Khoa học và Công nghệ", "UBND tỉnh Quảng Trị") from "Sở Khoa học và Công nghệ tỉnh Quảng Trị":
    a department's own name, and the provincial People's Committee it belongs to."""
    suffix = f" tỉnh {org.place}"
    if org.name.endswith(suffix):
        return org.name.removesuffix(suffix), f"UBND tỉnh {org.place}"
    return org.name, ""


def abbreviation(org: Organisation) -> str:
    """The body's code in document numbers: "Sở KH&CN Quảng Trị" → "SKHCN"."""
    words = org.short_name.removesuffix(f" {org.place}").split()
    head = fold(words[0])[:1].upper() if words else ""
    return head + "".join(ch for w in words[1:] for ch in fold(w).upper() if ch.isalnum())
