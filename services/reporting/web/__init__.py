"""The dashboard: server-rendered pages in Vietnamese (Jinja2), with their stylesheet served from this
package (no CDN), sign-in by bearer token kept in an HttpOnly cookie, and an Excel export of every
table. `install(app)` adds it all to the reporting service's FastAPI application."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from reporting.web import session
from reporting.web.errors import LoginRequired, PageError
from reporting.web.pages import briefings, evaluation, overview, reports, revisions, tasks, units
from reporting.web.rendering import render_error
from reporting.web.workspace import evidence, inbox, office, review, task_actions

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    for module in (session, overview, units, tasks, revisions, reports, briefings, evaluation, task_actions,
                   office, inbox, evidence, review):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(httpx.TransportError, _commitments_unavailable)


async def _login_required(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(f"/login?next={quote(exc.next_url, safe='')}", status_code=303)


async def _commitments_unavailable(request: Request, _: Exception) -> Response:
    """The commitments service did not answer a form's call. Whether a command was recorded is then
    unknown, and need not be: the form's Idempotency-Key makes sending it again record it once."""
    return render_error(request, PageError(503, "Dịch vụ ghi nhận (commitments) tạm thời không trả lời. Hãy quay lại "
                                                "và gửi lại biểu mẫu: mã chống trùng của biểu mẫu bảo đảm thao tác "
                                                "chỉ được ghi nhận một lần.", "commitments"))


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render_error(request, exc)
