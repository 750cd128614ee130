"""The weekly and monthly briefing (trực báo tuần, tháng): what changed in the window, what is overdue,
what falls due in the next window, and the target revisions recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from reporting.application.dashboard_queries import default_year
from reporting.application.queries import program_years
from reporting.application.report_views import Briefing
from reporting.application.reports import briefing
from reporting.exports.report_tables import briefing_tables
from reporting.exports.tables import Table
from reporting.web import links, params
from reporting.web.context import ContextDep
from reporting.web.errors import PageError, page_errors
from reporting.web.rendering import excel_response, render
from shared.rules.briefings import WindowKind
from shared.vn import local_date

router = APIRouter(include_in_schema=False)
TITLES = {WindowKind.WEEK: "Trực báo tuần", WindowKind.MONTH: "Trực báo tháng"}


@dataclass(frozen=True)
class BriefingPage:
    kind: WindowKind
    title: str
    briefing: Briefing
    day: date
    previous_day: date
    next_day: date | None  # none while the next window has not started
    tables: dict[str, Table]


async def load_briefing(kind: str, ctx: ContextDep, day: str | None = None) -> BriefingPage:
    try:
        window_kind = WindowKind(kind)
    except ValueError:
        raise PageError(404, f"Không có loại trực báo “{kind}” (tuần: week, tháng: month).", "kind") from None
    today = local_date(ctx.now)
    chosen = params.day(day, "day") or today
    year = default_year(await program_years(ctx.reads, ctx.org), ctx.now)
    with page_errors():
        result = await briefing(ctx.reads, ctx.org, window_kind, chosen, now=ctx.now, year=year)
    following = result.next_window.first_day
    return BriefingPage(kind=window_kind, title=TITLES[window_kind], briefing=result, day=chosen,
                        previous_day=result.window.first_day - timedelta(days=1),
                        next_day=following if following <= today else None,
                        tables=briefing_tables(result, task_link=links.task, highlight_unit=ctx.viewer.own_unit))


BriefingDep = Annotated[BriefingPage, Depends(load_briefing)]


@router.get("/briefings/{kind}", response_class=HTMLResponse)
async def briefing_page(request: Request, ctx: ContextDep, page: BriefingDep) -> HTMLResponse:
    return render(request, "briefing.html", ctx.viewer, page=page, today=local_date(ctx.now))


@router.get("/briefings/{kind}/excel/{table}")
async def briefing_excel(table: str, ctx: ContextDep, page: BriefingDep) -> Response:
    return excel_response(page.tables, table, ctx.org, ctx.now)
