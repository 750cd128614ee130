"""Rendering pages with Jinja2 (templates in Vietnamese) and answering a table as an Excel download."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment

from reporting.api.deps import get_container
from reporting.application.present import org_name
from reporting.exports import excel
from reporting.exports.formatting import environment
from reporting.exports.printable import TEMPLATES as EXPORT_TEMPLATES
from reporting.exports.tables import Table
from reporting.web import charts
from reporting.web.access import RULES, Viewer
from reporting.web.errors import PageError
from reporting.web.workspace.nav import workspace_nav
from shared.catalog import organisation
from shared.vn import local_date

HERE = Path(__file__).parent
NAV = (("/dashboard", "Tổng quan"), ("/revisions", "Điều chỉnh chỉ tiêu"), ("/reports", "Báo cáo theo kỳ"),
       ("/briefings/week", "Trực báo tuần"), ("/briefings/month", "Trực báo tháng"))
EVALUATION_NAV = ("/evaluation", "Đánh giá cuối năm")


@cache
def templates() -> Environment:
    env = environment([HERE / "templates", EXPORT_TEMPLATES])
    env.globals.update(status_bar=charts.status_bar, progress_chart=charts.progress_chart)
    return env


def nav(request: Request, viewer: Viewer | None) -> list[tuple[str, str, bool]]:
    items = list(NAV) + ([EVALUATION_NAV] if viewer and viewer.can_evaluate else [])
    if viewer and viewer.own_unit:
        items.insert(1, (f"/units/{viewer.own_unit}", "Đơn vị của tôi"))
    items += workspace_nav(viewer.principal) if viewer else []
    path = request.url.path
    return [(href, label, path == href or path.startswith(href + "/")) for href, label in items]


def render(request: Request, template: str, viewer: Viewer | None, *, status: int = 200, **values: Any
           ) -> HTMLResponse:
    org = get_container(request).settings.org
    query = f"?{request.url.query}" if request.url.query else ""

    def excel_url(key: str) -> str:
        return f"{request.url.path}/excel/{key}{query}"

    html = templates().get_template(template).render(
        request=request, viewer=viewer, nav=nav(request, viewer), org_name=org_name(org), rules=RULES,
        excel_url=excel_url, units=_units(org), demo=get_container(request).settings.demo, **values)
    return HTMLResponse(html, status_code=status)


def render_login(request: Request, *, next_url: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    return render(request, "login.html", None, status=status, next_url=next_url, error=error)


def render_error(request: Request, error: PageError) -> HTMLResponse:
    return render(request, "error.html", None, status=error.status, error=error)


def excel_response(tables: dict[str, Table], key: str, org: str, now: datetime) -> Response:
    table = tables.get(key)
    if table is None:
        raise PageError(404, f"Trang này không có bảng “{key}” (có: {', '.join(tables)}).", "table")
    name = excel.filename(table, local_date(now))
    return Response(excel.workbook_bytes(table, org_name(org)), media_type=excel.MIME,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _units(org: str) -> list[tuple[str, str]]:
    try:
        return [(u.code, u.name) for u in organisation(org).task_owners]
    except FileNotFoundError:
        return []
