"""The year-end evaluation of each unit for emulation and rewards (thi đua, khen thưởng), with the rule
used. Only the Board and the Inspectorate see it (see access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from reporting.application.dashboard_queries import default_year
from reporting.application.queries import program_years
from reporting.application.report_views import Evaluation
from reporting.application.reports import year_end_evaluation
from reporting.exports.docx_reports import evaluation_docx
from reporting.exports.tables import Table
from reporting.exports.task_tables import evaluation_table
from reporting.web import links, params
from reporting.web.access import EVALUATION_ACCESS
from reporting.web.context import ContextDep
from reporting.web.documents import document_response
from reporting.web.errors import PageError, page_errors
from reporting.web.rendering import excel_response, render
from shared.vn import local_date

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class EvaluationPage:
    evaluation: Evaluation
    years: list[int]
    tables: dict[str, Table]


async def load_evaluation(ctx: ContextDep, year: str | None = None) -> EvaluationPage:
    if not ctx.viewer.can_evaluate:
        raise PageError(403, f"{EVALUATION_ACCESS} Vai trò của bạn: {ctx.viewer.role_label}.", "role")
    years = await program_years(ctx.reads, ctx.org)
    chosen = params.year(year) or default_year(years, ctx.now)
    if chosen is None:
        raise PageError(404, "Chưa có năm kế hoạch nào có nhiệm vụ.", "year")
    with page_errors():
        evaluation = await year_end_evaluation(ctx.reads, ctx.org, chosen)
    table = evaluation_table(evaluation, link=lambda u: links.with_query(links.unit(u), year=chosen))
    return EvaluationPage(evaluation=evaluation, years=years, tables={"units": table})


EvaluationDep = Annotated[EvaluationPage, Depends(load_evaluation)]


@router.get("/evaluation", response_class=HTMLResponse)
async def evaluation_page(request: Request, ctx: ContextDep, page: EvaluationDep) -> HTMLResponse:
    return render(request, "evaluation.html", ctx.viewer, page=page, access=EVALUATION_ACCESS)


@router.get("/evaluation/excel/{table}")
async def evaluation_excel(table: str, ctx: ContextDep, page: EvaluationDep) -> Response:
    return excel_response(page.tables, table, ctx.org, ctx.now)


@router.get("/evaluation/docx")
async def evaluation_word(ctx: ContextDep, page: EvaluationDep) -> Response:
    """The evaluation as an official report in Word, for the Board to sign (same access as the page)."""
    return await _document(ctx, page, pdf=False)


@router.get("/evaluation/pdf")
async def evaluation_pdf(ctx: ContextDep, page: EvaluationDep) -> Response:
    return await _document(ctx, page, pdf=True)


async def _document(ctx: ContextDep, page: EvaluationPage, *, pdf: bool) -> Response:
    issued_on = local_date(ctx.now)
    return await document_response(lambda: evaluation_docx(page.evaluation, issued_on=issued_on),
                                   f"danh-gia-{page.evaluation.program_year}", pdf=pdf)
