"""A unit's page: its counts by status and rates, and its tasks, now or as of a past day."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from reporting.application.dashboard_queries import default_year
from reporting.application.queries import program_years, task_list, unit_summary
from reporting.application.views import UnitSummary
from reporting.exports.formatting import as_of_note
from reporting.exports.tables import Table
from reporting.exports.task_tables import tasks_table
from reporting.web import links, params
from reporting.web.context import ContextDep
from reporting.web.errors import page_errors
from reporting.web.rendering import excel_response, render
from shared.vn import local_date

router = APIRouter(include_in_schema=False)
UnitPath = Annotated[str, Path(max_length=64)]


@dataclass(frozen=True)
class UnitPage:
    summary: UnitSummary
    year: int | None
    years: list[int]
    filters: params.Filters
    tables: dict[str, Table]


async def load_unit(unit: UnitPath, ctx: ContextDep, year: str | None = None, as_of: str | None = None) -> UnitPage:
    code = params.unit(unit, ctx.org)
    assert code is not None
    years = await program_years(ctx.reads, ctx.org)
    chosen = params.year(year) or default_year(years, ctx.now)
    at = params.as_of(as_of, ctx.now)
    with page_errors():
        summary = await unit_summary(ctx.reads, ctx.org, code, now=ctx.now, year=chosen, as_of=at)
        tasks = await task_list(ctx.reads, ctx.org, now=ctx.now, year=chosen, unit=code, as_of=at)
    table = tasks_table("tasks", f"Nhiệm vụ của {summary.unit_name}" + (f" — năm {chosen}" if chosen else ""),
                        tasks, notes=(as_of_note(at or ctx.now),), link=links.task)
    filters = params.Filters(year=chosen, unit=code, status=None, period=None, search=None, as_of=at,
                             as_of_day=local_date(at or ctx.now))
    return UnitPage(summary=summary, year=chosen, years=years, filters=filters, tables={"tasks": table})


UnitDep = Annotated[UnitPage, Depends(load_unit)]


@router.get("/units/{unit}", response_class=HTMLResponse)
async def unit_page(request: Request, ctx: ContextDep, page: UnitDep) -> HTMLResponse:
    return render(request, "unit.html", ctx.viewer, page=page, today=local_date(ctx.now),
                  own=ctx.viewer.own_unit == page.summary.unit)


@router.get("/units/{unit}/excel/{table}")
async def unit_excel(table: str, ctx: ContextDep, page: UnitDep) -> Response:
    return excel_response(page.tables, table, ctx.org, ctx.now)
