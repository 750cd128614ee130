"""Signing in to the dashboard (docs/sign-in.md). With an identity provider configured
(CAMKET_REPORTING_OIDC_ISSUER): OpenID Connect, the session kept server-side (`signin.py`). In
development and test only: a pasted bearer token (`camket mint-token`) kept in an HttpOnly cookie.
Scripts may send `Authorization: Bearer` anywhere. Every page verifies the token again (expiry included).

The pages and forms use three functions: `current_viewer`, `access_token` (for calls to the commitments
API, refreshed when needed) and `session_id` (what CSRF tokens are bound to)."""

from __future__ import annotations

import hashlib
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reporting.api.deps import get_container
from reporting.web import signin
from reporting.web.access import Viewer
from reporting.web.cookies import cookie_is_secure
from reporting.web.errors import LoginRequired, PageError
from reporting.web.oidc import ProviderDown
from reporting.web.rendering import render_login
from shared.auth.tokens import InvalidToken, NoRoleToken

COOKIE = "camket_session"
MAX_TOKEN_CHARS = 8192
PASTE_ENVIRONMENTS = ("development", "test")
router = APIRouter(include_in_schema=False)
router.include_router(signin.router)


def _oidc(request: Request) -> bool:
    return bool(get_container(request).settings.oidc_issuer)


def _paste_allowed(request: Request) -> bool:
    return get_container(request).settings.environment in PASTE_ENVIRONMENTS


def session_token(request: Request) -> str | None:
    """The signed-in user's bearer token: as `current_viewer` found (and refreshed) it for this request,
    else the pasted-token cookie (development and test) or an Authorization header (scripts)."""
    found = getattr(request.state, "access_token", None)
    if isinstance(found, str) and found:
        return found
    token = request.cookies.get(COOKIE) if _paste_allowed(request) else None
    header = request.headers.get("authorization", "")
    if not token and header.lower().startswith("bearer "):
        token = header[7:].strip()
    return token or None


async def access_token(request: Request) -> str:
    """The user's current access token for the commitments API (refreshed when it nears expiry)."""
    if _oidc(request) and request.cookies.get(signin.COOKIE):
        request.state.access_token = await signin.session_access_token(request)
    token = session_token(request)
    if not token:
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return token


def session_id(request: Request) -> str:
    """This sign-in's id, to bind CSRF tokens to; "" when signed out. Stable across token refreshes."""
    if _oidc(request) and request.cookies.get(signin.COOKIE):
        return signin.session_key(request)
    token = session_token(request)
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


async def current_viewer(request: Request) -> Viewer:
    """The signed-in user, from the session (or an Authorization header, for scripts)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    try:
        token = await access_token(request)
        return await signin.viewer_of(request, token)
    except ProviderDown as error:
        raise PageError(503, f"Không kết nối được hệ thống định danh: {error}") from None
    except NoRoleToken:
        raise PageError(403, signin.ASK) from None
    except InvalidToken as error:
        raise LoginRequired(here, str(error)) from None


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def safe_next(target: str | None) -> str:
    """Only a path of this site: never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str | None = None, signed_out: str | None = None) -> Response:
    if _oidc(request):
        if signed_out:
            return signin.problem(request, "signed_out", 200, "Anh/chị đã đăng xuất khỏi Cam kết.")
        return await signin.begin(request, safe_next(next))
    if not _paste_allowed(request):
        raise PageError(503, "Chưa cấu hình đăng nhập: đặt CAMKET_REPORTING_OIDC_ISSUER (xem deploy/README.md).")
    return render_login(request, next_url=safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    if not _paste_allowed(request):
        raise PageError(404, "Trang dán mã truy cập chỉ có trên máy phát triển.")
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
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=cookie_is_secure(request), path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    response = await signin.end(request) if _oidc(request) else RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
