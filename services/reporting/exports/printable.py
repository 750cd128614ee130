"""The printable report of a period, laid out as an official report of the Department (HTML with a
print stylesheet; the browser prints it or saves it as PDF)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment

from reporting.application.report_views import PeriodReport
from reporting.exports.formatting import environment
from reporting.exports.official import official_header
from reporting.exports.report_tables import compact, compact_revisions, compact_units, period_tables
from reporting.exports.tables import Table

TEMPLATES = Path(__file__).parent / "templates"
SECTIONS = (("due", "Nhiệm vụ đến hạn trong kỳ"), ("completed", "Nhiệm vụ hoàn thành trong kỳ"),
            ("overdue", "Nhiệm vụ quá hạn chưa hoàn thành"))
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


@cache
def _env() -> Environment:
    return environment([TEMPLATES])


def report_title(report: PeriodReport, unit_name: str | None = None) -> str:
    whose = f" của {unit_name}" if unit_name else ""
    return f"Kết quả thực hiện Chương trình công tác trọng tâm{whose} — {report.period.label}"


def render_period_report(report: PeriodReport, *, issued_on: date, unit_name: str | None = None) -> str:
    """The whole document, self-contained (its stylesheet inline), so it can also be saved as a file."""
    tables = period_tables(report)
    sections: list[tuple[str, Table]] = [(title, compact(tables[key])) for key, title in SECTIONS]
    sections.append(("Điều chỉnh chỉ tiêu, thời hạn có hiệu lực trong kỳ", compact_revisions(report)))
    return _env().get_template("official_report.html").render(
        header=official_header(issued_on, report.org), report=report, title=report_title(report, unit_name),
        units=compact_units(report), sections=sections, roman=ROMAN,
        stylesheet=(TEMPLATES / "official_report.css").read_text("utf-8"))
