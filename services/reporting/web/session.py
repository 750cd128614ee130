"""Signing in to the dashboard: the user pastes a bearer token (from the identity provider, or
`camket mint-token` on a laptop); it is verified like the API's and kept in an HttpOnly cookie, so
page scripts never read it. Every page verifies it again (expiry included) before showing data."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reporting.api.deps import get_container
from reporting.web.access import Viewer
from reporting.web.errors import LoginRequired
from reporting.web.rendering import render_login
from shared.auth.tokens import InvalidToken

COOKIE = "camket_session"
MAX_TOKEN_CHARS = 8192
router = APIRouter(include_in_schema=False)


def session_token(request: Request) -> str | None:
    """The signed-in user's bearer token: the session cookie (or an Authorization header, for scripts).
    The workspace forms send it on to the commitments API and bind their CSRF tokens to it."""
    token = request.cookies.get(COOKIE)
    header = request.headers.get("authorization", "")
    if not token and header.lower().startswith("bearer "):
        token = header[7:].strip()
    return token or None


async def current_viewer(request: Request) -> Viewer:
    """The signed-in user, from the session cookie (or an Authorization header, for scripts)."""
    token = session_token(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not token:
        raise LoginRequired(here)
    try:
        return Viewer(await get_container(request).verifier.authenticate(token))
    except InvalidToken as error:
        raise LoginRequired(here, str(error)) from None


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def safe_next(target: str | None) -> str:
    """Only a path of this site: never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render_login(request, next_url=safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=4)
    token = "".join((form.get("token") or [""])[0].split())  # pasted tokens often carry line breaks
    target = safe_next((form.get("next") or [""])[0])
    if not token or len(token) > MAX_TOKEN_CHARS:
        return render_login(request, next_url=target, error="Hãy dán mã truy cập (bearer token).", status=400)
    try:
        await get_container(request).verifier.authenticate(token)
    except InvalidToken as error:
        return render_login(request, next_url=target, error=f"Mã truy cập không hợp lệ: {error}", status=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                        path="/")
    return response


@router.post("/logout")
async def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
