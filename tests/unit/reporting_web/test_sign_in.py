"""Signing in to the dashboard with a bearer token kept in an HttpOnly cookie, and what a role may see.
The application is not started (no lifespan): nothing here reaches the read models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from reporting.api.app import create_app
from reporting.bootstrap import build
from reporting.config import ReportingSettings
from reporting.web.access import Viewer
from reporting.web.rendering import nav
from reporting.web.session import COOKIE, safe_next
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import Principal, TokenVerifier, mint_token


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return ensure_key_pair(tmp_path / "keys", "jwt")


@pytest.fixture
def client(tmp_path: Path, keys: Path) -> Iterator[TestClient]:
    settings = ReportingSettings(state_dir=tmp_path, consume=False)
    verifier = TokenVerifier(issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                             public_key_file=settings.jwt_public_key_path)
    yield TestClient(create_app(build(settings, token_verifier=verifier)), follow_redirects=False)


def _token(keys: Path, role: str, unit: str, ttl: int = 3600) -> str:
    return mint_token(load_private_key(keys), issuer="camket-dev", audience="camket", user_id=f"{role}.{unit}",
                      name="Nguyễn Văn An", unit=unit, roles=[role], ttl_seconds=ttl)


def test_a_page_without_a_session_sends_to_the_sign_in_page_and_back(client: TestClient) -> None:
    response = client.get("/dashboard?unit=ql-kh")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdashboard%3Funit%3Dql-kh"
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "Đăng nhập" in page.text and "camket mint-token" in page.text
    assert 'name="next" value="/dashboard?unit=ql-kh"' in page.text


def test_a_valid_token_becomes_an_httponly_cookie(client: TestClient, keys: Path) -> None:
    token = _token(keys, "office", "vp")
    response = client.post("/login", data={"token": f"  {token[:20]}\n{token[20:]} ", "next": "/revisions"})
    assert response.status_code == 303 and response.headers["location"] == "/revisions"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={token};") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/" in cookie


@pytest.mark.parametrize(("token", "status", "message"), [
    ("", 400, "Hãy dán mã truy cập"), ("not.a.token", 401, "Mã truy cập không hợp lệ")])
def test_a_bad_token_is_refused_on_the_sign_in_page(client: TestClient, token: str, status: int,
                                                    message: str) -> None:
    response = client.post("/login", data={"token": token, "next": "/dashboard"})
    assert response.status_code == status and message in response.text
    assert "set-cookie" not in response.headers


def test_an_expired_session_asks_to_sign_in_again(client: TestClient, keys: Path) -> None:
    client.cookies.set(COOKIE, _token(keys, "board", "bgd", ttl=-10))
    assert client.get("/evaluation").headers["location"] == "/login?next=%2Fevaluation"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil.example", None, ""])
def test_sign_in_never_redirects_to_another_site(target: str | None) -> None:
    assert safe_next(target) == "/dashboard"
    assert safe_next("/tasks/1?x=2") == "/tasks/1?x=2"


@pytest.mark.parametrize("role", ["office", "unit_staff", "unit_head"])
def test_the_evaluation_is_for_the_board_and_the_inspectorate_only(client: TestClient, keys: Path,
                                                                   role: str) -> None:
    client.cookies.set(COOKIE, _token(keys, role, "ql-kh"))
    response = client.get("/evaluation")
    assert response.status_code == 403
    assert "Trang này chỉ dành cho Ban Giám đốc và Thanh tra Sở." in response.text


def _menu(role: str, unit: str) -> list[str]:
    request = Request({"type": "http", "method": "GET", "path": "/dashboard", "headers": [], "query_string": b""})
    viewer = Viewer(Principal(user_id="u", name="Người dùng", unit=unit, roles=frozenset({role})))
    return [href for href, _, _ in nav(request, viewer)]


def test_the_menu_offers_what_the_role_may_see() -> None:
    assert "/evaluation" in _menu("board", "bgd") and "/evaluation" in _menu("inspector", "thanh-tra")
    assert "/evaluation" not in _menu("office", "vp")
    assert _menu("unit_staff", "ql-kh")[:2] == ["/dashboard", "/units/ql-kh"]  # "Đơn vị của tôi"
    assert "/units/vp" not in _menu("office", "vp")


def test_a_malformed_task_address_names_the_field(client: TestClient, keys: Path) -> None:
    client.headers["Authorization"] = f"Bearer {_token(keys, 'inspector', 'thanh-tra')}"
    response = client.get("/tasks/khong-phai-ma")
    assert response.status_code == 400 and 'data-field="task_id"' in response.text
    assert "Mã nhiệm vụ không hợp lệ" in response.text


def test_signing_out_clears_the_cookie(client: TestClient) -> None:
    response = client.post("/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert response.headers["set-cookie"].startswith(f'{COOKIE}=""') and "Max-Age=0" in response.headers["set-cookie"]


def test_the_stylesheet_is_served_locally(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert "http" not in response.text  # nothing fetched from elsewhere
