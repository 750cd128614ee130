"""The report of a period (tháng, quý, 6 tháng, 9 tháng, năm): its page, its tables as Excel, and
the printable official report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from reporting.application.dashboard_queries import default_year
from reporting.application.present import unit_name
from reporting.application.queries import program_years
from reporting.application.report_views import PeriodReport
from reporting.application.reports import period_report
from reporting.exports.docx_reports import period_report_docx
from reporting.exports.printable import render_period_report, report_title
from reporting.exports.report_tables import period_tables
from reporting.exports.tables import Table
from reporting.web import links, params
from reporting.web.context import ContextDep
from reporting.web.documents import document_response
from reporting.web.errors import page_errors
from reporting.web.rendering import excel_response, render
from shared.periods import PeriodKind, ReportingPeriod
from shared.vn import local_date

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class ReportPage:
    report: PeriodReport
    title: str
    unit_name: str | None
    years: list[int]
    periods: list[tuple[str, str]]
    tables: dict[str, Table]


def default_period(year: int | None, now: datetime) -> ReportingPeriod:
    """The quarter running now if the year is this one, else the whole year."""
    today = local_date(now)
    if year is None or year == today.year:
        return ReportingPeriod.containing(PeriodKind.QUARTER, today)
    return ReportingPeriod(year, PeriodKind.YEAR)


async def load_report(ctx: ContextDep, period: str | None = None, unit: str | None = None) -> ReportPage:
    years = await program_years(ctx.reads, ctx.org)
    chosen = params.period(period) or default_period(default_year(years, ctx.now), ctx.now)
    code = params.unit(unit, ctx.org)
    with page_errors():
        report = await period_report(ctx.reads, ctx.org, chosen, now=ctx.now, unit=code)
    name = unit_name(ctx.org, code) if code else None
    tables = period_tables(report, task_link=links.task, unit_link=links.unit, highlight_unit=ctx.viewer.own_unit)
    return ReportPage(report=report, title=report_title(report, name), unit_name=name,
                      years=sorted({*years, chosen.year}), periods=links.period_choices(chosen.year), tables=tables)


ReportDep = Annotated[ReportPage, Depends(load_report)]


@router.get("/reports", response_class=HTMLResponse)
async def report_page(request: Request, ctx: ContextDep, page: ReportDep) -> HTMLResponse:
    query = {"period": page.report.period.code, "unit": page.report.unit}
    urls: dict[str, Any] = {f"{kind}_url": links.with_query(f"/reports/{kind}", **query)
                            for kind in ("print", "docx", "pdf")}
    return render(request, "report.html", ctx.viewer, page=page, **urls)


@router.get("/reports/print", response_class=HTMLResponse)
async def report_print(ctx: ContextDep, page: ReportDep) -> HTMLResponse:
    return HTMLResponse(render_period_report(page.report, issued_on=local_date(ctx.now), unit_name=page.unit_name))


@router.get("/reports/excel/{table}")
async def report_excel(table: str, ctx: ContextDep, page: ReportDep) -> Response:
    return excel_response(page.tables, table, ctx.org, ctx.now)


@router.get("/reports/docx")
async def report_docx(ctx: ContextDep, page: ReportDep) -> Response:
    """The official report in Word (Decree 30/2020/NĐ-CP), for the office to edit, number and sign."""
    return await _document(ctx, page, pdf=False)


@router.get("/reports/pdf")
async def report_pdf(ctx: ContextDep, page: ReportDep) -> Response:
    """The same document as PDF, rendered from the Word file."""
    return await _document(ctx, page, pdf=True)


async def _document(ctx: ContextDep, page: ReportPage, *, pdf: bool) -> Response:
    issued_on = local_date(ctx.now)
    name = f"bao-cao-{page.report.period.code}" + (f"-{page.report.unit}" if page.report.unit else "")
    return await document_response(
        lambda: period_report_docx(page.report, issued_on=issued_on, unit_name=page.unit_name), name, pdf=pdf)
