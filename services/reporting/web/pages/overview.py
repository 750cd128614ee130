"""The program overview: counts by status in the official colours, completion rates, the table per
unit and the task list, filtered by unit, status, period and text, now or as of a past day."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reporting.application.dashboard_queries import Dashboard, dashboard, default_year
from reporting.application.present import unit_name
from reporting.application.queries import program_years
from reporting.exports.formatting import as_of_note
from reporting.exports.tables import Table
from reporting.exports.task_tables import tasks_table, units_table
from reporting.web import links, params
from reporting.web.context import ContextDep, PageContext
from reporting.web.errors import page_errors
from reporting.web.rendering import excel_response, render
from shared.status import TaskStatus
from shared.vn import local_date

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class OverviewPage:
    filters: params.Filters
    years: list[int]
    board: Dashboard
    tables: dict[str, Table]
    statuses: list[tuple[str, str]]
    periods: list[tuple[str, str]]


async def load_overview(ctx: ContextDep, year: str | None = None, unit: str | None = None,
                        status: str | None = None, period: str | None = None, q: str | None = None,
                        as_of: str | None = None) -> OverviewPage:
    years = await program_years(ctx.reads, ctx.org)
    chosen_period = params.period(period)
    chosen_year = params.year(year) or (chosen_period.year if chosen_period else default_year(years, ctx.now))
    at = params.as_of(as_of, ctx.now)
    filters = params.Filters(year=chosen_year, unit=params.unit(unit, ctx.org), status=params.status(status),
                             period=chosen_period, search=params.search(q), as_of=at,
                             as_of_day=local_date(at or ctx.now))
    with page_errors():
        board = await dashboard(ctx.reads, ctx.org, now=ctx.now, year=filters.year, unit=filters.unit,
                                status=filters.status, period=filters.period, search=filters.search, as_of=at)
    return OverviewPage(filters=filters, years=years, board=board, tables=_tables(ctx, filters, board),
                        statuses=[(s.value, s.label) for s in TaskStatus],
                        periods=links.period_choices(chosen_year) if chosen_year else [])


def _tables(ctx: PageContext, f: params.Filters, board: Dashboard) -> dict[str, Table]:
    program = f"Chương trình công tác trọng tâm năm {f.year}" if f.year else "Chương trình công tác trọng tâm"
    notes = (as_of_note(board.summary.as_of), *_described(ctx.org, f))
    as_of_param = f.as_of_day.isoformat() if f.as_of else None

    def unit_link(code: str) -> str:
        return links.with_query(links.unit(code), year=f.year, as_of=as_of_param)

    units = units_table("units", f"Kết quả theo đơn vị — {program}", board.summary.units, board.summary.total,
                        notes=(as_of_note(board.summary.as_of),), link=unit_link,
                        highlight_unit=ctx.viewer.own_unit)
    tasks = tasks_table("tasks", f"Danh sách nhiệm vụ — {program}", board.tasks, notes=notes, link=links.task,
                        highlight_unit=ctx.viewer.own_unit)
    return {"units": units, "tasks": tasks}


def _described(org: str, f: params.Filters) -> tuple[str, ...]:
    """The filters in words, so an exported table says what it holds."""
    chosen = [("Đơn vị", unit_name(org, f.unit) if f.unit else None),
              ("Trạng thái", f.status.label if f.status else None),
              ("Đến hạn trong kỳ", f.period.label if f.period else None),
              ("Từ khóa", f"“{f.search}”" if f.search else None)]
    words = [f"{name}: {value}" for name, value in chosen if value]
    return (f"Lọc theo — {'; '.join(words)}.",) if words else ()


OverviewDep = Annotated[OverviewPage, Depends(load_overview)]


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
async def overview(request: Request, ctx: ContextDep, page: OverviewDep) -> HTMLResponse:
    def status_link(code: str) -> str:
        f = page.filters
        return links.with_query("/dashboard", year=f.year, unit=f.unit, status=code,
                                period=f.period.code if f.period else None, q=f.search,
                                as_of=f.as_of_day.isoformat() if f.as_of else None)

    return render(request, "overview.html", ctx.viewer, page=page, status_link=status_link,
                  today=local_date(ctx.now))


@router.get("/dashboard/excel/{table}")
async def overview_excel(table: str, ctx: ContextDep, page: OverviewDep) -> Response:
    return excel_response(page.tables, table, ctx.org, ctx.now)
