"""Target and deadline revisions, with their reason and approval, by the day they take effect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from reporting.application.dashboard_queries import default_year
from reporting.application.queries import program_years, revision_list
from reporting.exports.event_tables import revisions_table
from reporting.exports.formatting import as_of_note
from reporting.exports.tables import Table
from reporting.web import links, params
from reporting.web.context import ContextDep
from reporting.web.errors import page_errors
from reporting.web.rendering import excel_response, render
from shared.periods import ReportingPeriod

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class RevisionsPage:
    year: int | None
    years: list[int]
    period: ReportingPeriod | None
    periods: list[tuple[str, str]]
    tables: dict[str, Table]


async def load_revisions(ctx: ContextDep, year: str | None = None, period: str | None = None) -> RevisionsPage:
    years = await program_years(ctx.reads, ctx.org)
    chosen_period = params.period(period)
    chosen = params.year(year) or (chosen_period.year if chosen_period else default_year(years, ctx.now))
    with page_errors():
        revisions = await revision_list(ctx.reads, ctx.org, year=chosen, period=chosen_period)
    scope = chosen_period.label if chosen_period else (f"năm {chosen}" if chosen else "mọi năm")
    notes = (as_of_note(ctx.now), "Chỉ tiêu, thời hạn được điều chỉnh khi có văn bản phê duyệt của Ban Giám đốc.")
    table = revisions_table(revisions, title=f"Điều chỉnh chỉ tiêu, thời hạn — {scope}", notes=notes,
                            link=links.task)
    return RevisionsPage(year=chosen, years=years, period=chosen_period,
                         periods=links.period_choices(chosen) if chosen else [], tables={"revisions": table})


RevisionsDep = Annotated[RevisionsPage, Depends(load_revisions)]


@router.get("/revisions", response_class=HTMLResponse)
async def revisions_page(request: Request, ctx: ContextDep, page: RevisionsDep) -> HTMLResponse:
    return render(request, "revisions.html", ctx.viewer, page=page)


@router.get("/revisions/excel/{table}")
async def revisions_excel(table: str, ctx: ContextDep, page: RevisionsDep) -> Response:
    return excel_response(page.tables, table, ctx.org, ctx.now)
