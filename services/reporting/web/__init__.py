"""The dashboard: server-rendered pages in Vietnamese (Jinja2), with their stylesheet served from this
package (no CDN), sign-in by bearer token kept in an HttpOnly cookie, and an Excel export of every
table. `install(app)` adds it all to the reporting service's FastAPI application."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from reporting.web import session
from reporting.web.errors import LoginRequired, PageError
from reporting.web.pages import briefings, evaluation, overview, reports, revisions, tasks, units
from reporting.web.rendering import render_error
from reporting.web.workspace import evidence, inbox, office, task_actions

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    for module in (session, overview, units, tasks, revisions, reports, briefings, evaluation, task_actions,
                   office, inbox, evidence):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PageError, _page_error)


async def _login_required(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(f"/login?next={quote(exc.next_url, safe='')}", status_code=303)


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render_error(request, exc)
