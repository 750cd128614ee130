"""Sign-in by OpenID Connect, server side: the redirect to the provider, the callback, the session
(idle and absolute timeouts, the access token refreshed when it nears expiry) and logout, which
deletes the session here and ends it at the provider. Each problem is a page in Vietnamese."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reporting.api.deps import get_container
from reporting.web.access import Viewer
from reporting.web.cookies import cookie_is_secure
from reporting.web.errors import LoginRequired
from reporting.web.oidc import CALLBACK, Oidc, ProviderDown, SignInRefused
from reporting.web.rendering import render
from reporting.web.sessions_store import PENDING_SECONDS, SessionStore, StoredSession, digest, new_secret
from shared.auth.jwks import KeysUnavailable
from shared.auth.tokens import InvalidToken, NoRoleToken

COOKIE = "camket_sid"
BROWSER = "camket_signin"  # binds a pending sign-in to the browser that started it
REFRESH_MARGIN = 30.0
ASK = ("Tài khoản của anh/chị đã đăng nhập được ở hệ thống định danh của tỉnh nhưng chưa được gán vai trò "
       "trong Cam kết. Hãy đề nghị Văn phòng Sở (quản trị Cam kết) gán vai trò và đơn vị cho tài khoản này.")
router = APIRouter(include_in_schema=False)


def oidc_of(request: Request) -> Oidc:
    state = request.app.state
    if getattr(state, "oidc", None) is None:
        state.oidc = Oidc(get_container(request).settings, getattr(state, "oidc_transport", None))
    oidc: Oidc = state.oidc
    return oidc


def store_of(request: Request) -> SessionStore:
    container = get_container(request)
    return SessionStore(container.pool, container.settings.db_schema, container.settings.session_absolute_seconds)


def problem(request: Request, kind: str, status: int, message: str) -> HTMLResponse:
    headings = {"provider_down": "Không kết nối được hệ thống định danh", "no_role": "Chưa được gán vai trò",
                "refused": "Đăng nhập không thành công", "signed_out": "Đã đăng xuất"}
    return render(request, "signin.html", None, status=status, problem=kind, heading=headings[kind],
                  message=message, ask=ASK if kind == "no_role" else "")


async def begin(request: Request, next_url: str) -> Response:
    try:
        url, pending = await oidc_of(request).start()
    except ProviderDown as error:
        return problem(request, "provider_down", 503, f"Hệ thống định danh không trả lời ({error}). "
                       "Hãy thử lại sau ít phút; nếu vẫn lỗi, báo bộ phận kỹ thuật.")
    browser = new_secret()
    await store_of(request).put("pending", pending["state"], {**pending, "next": next_url, "browser": digest(browser)})
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(BROWSER, browser, max_age=PENDING_SECONDS, httponly=True, samesite="lax",
                        secure=cookie_is_secure(request), path=CALLBACK)
    return response


@router.get(CALLBACK)
async def callback(request: Request, state: str = "", code: str = "", error: str = "") -> Response:
    pending = await store_of(request).take_pending(state) if state else None
    if pending is None or pending.get("browser") != digest(request.cookies.get(BROWSER, "")):
        return problem(request, "refused", 400, "Phiên đăng nhập không khớp (tham số state sai, đã dùng hoặc "
                       "quá hạn). Hãy đăng nhập lại.")
    if error or not code:
        return problem(request, "refused", 400, f"Hệ thống định danh từ chối: {error or 'không có mã'}.")
    try:
        tokens = await oidc_of(request).finish(code, pending)
        viewer = await viewer_of(request, str(tokens.get("access_token", "")))
    except ProviderDown as down:
        return problem(request, "provider_down", 503, f"Hệ thống định danh không trả lời ({down}).")
    except NoRoleToken:
        return problem(request, "no_role", 403, "Tài khoản chưa có vai trò trong Cam kết.")
    except (SignInRefused, InvalidToken) as refused:
        return problem(request, "refused", 401, f"Không xác nhận được đăng nhập: {refused}")
    secret = new_secret()
    await store_of(request).put("active", secret, session_data(tokens, viewer))
    response = RedirectResponse(pending.get("next") or "/dashboard", status_code=303)
    response.set_cookie(COOKIE, secret, httponly=True, samesite="lax", secure=cookie_is_secure(request), path="/")
    response.delete_cookie(BROWSER, path=CALLBACK)
    return response


def session_data(tokens: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    expires_in = float(tokens.get("expires_in") or 300)
    return {"access_token": tokens["access_token"], "refresh_token": tokens.get("refresh_token"),
            "id_token": tokens.get("id_token", ""), "expires_at": time.time() + expires_in,
            "sub": viewer.principal.subject, "iss": viewer.principal.issuer}


async def viewer_of(request: Request, access_token: str) -> Viewer:
    """The user of an access token, verified as the APIs verify it (the same claims mapping)."""
    try:
        return Viewer(await get_container(request).verifier.authenticate(access_token))
    except KeysUnavailable as error:
        raise ProviderDown(str(error)) from None


async def live_session(request: Request) -> StoredSession:
    """The session of this request, or LoginRequired (none, revoked, idle too long, or too old)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    secret = request.cookies.get(COOKIE)
    session = await store_of(request).get(secret) if secret else None
    if session is None:
        raise LoginRequired(here)
    settings, now = get_container(request).settings, time.time()
    idle, age = now - session.seen_at, now - session.created_at
    if idle > settings.session_idle_seconds or age > settings.session_absolute_seconds:
        await store_of(request).delete(session.key)
        raise LoginRequired(here, "phiên đăng nhập đã hết hạn")
    return session


async def session_access_token(request: Request) -> str:
    """The session's access token, refreshed first when it expires within REFRESH_MARGIN seconds."""
    session = await live_session(request)
    data = dict(session.data)
    if float(data.get("expires_at", 0)) - time.time() < REFRESH_MARGIN and data.get("refresh_token"):
        try:
            tokens = await oidc_of(request).refresh(str(data["refresh_token"]))
        except SignInRefused:
            await store_of(request).delete(session.key)
            raise LoginRequired(request.url.path, "phiên ở hệ thống định danh đã kết thúc") from None
        expires_at = time.time() + float(tokens.get("expires_in") or 300)
        data.update(access_token=tokens["access_token"], expires_at=expires_at,
                    refresh_token=tokens.get("refresh_token") or data["refresh_token"],
                    id_token=tokens.get("id_token") or data.get("id_token", ""))
    await store_of(request).update(session, data=data)  # also the idle clock
    return str(data["access_token"])


def session_key(request: Request) -> str:
    secret = request.cookies.get(COOKIE)
    return digest("csrf:" + secret) if secret else ""


async def end(request: Request) -> Response:
    secret = request.cookies.get(COOKIE)
    session = await store_of(request).get(secret) if secret else None
    target = "/login?signed_out=1"
    if session is not None:
        await store_of(request).delete(session.key)
        after = get_container(request).settings.public_url.rstrip("/") + "/login?signed_out=1"
        target = await oidc_of(request).end_session_url(str(session.data.get("id_token", "")), after) or target
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
