"""Signing in to the dashboard at a real OpenID provider (oidc-provider, tests/e2e/oidc): the flow,
refresh and logout, and each way it must fail — a tampered state, a replayed code, a wrong nonce,
idle and absolute expiry (the session's clock moved back in the table: the test decides when), a
user with no role, a provider that is down."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from reporting.api.app import create_app
from reporting.bootstrap import build
from reporting.config import ReportingSettings
from tests.e2e.oidc.provider import USERS, OidcTestProvider, sign_in_at_provider
from tests.e2e.support import free_port

APP = "http://testserver"


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcTestProvider]:
    running = OidcTestProvider([f"{APP}/auth/callback"], [f"{APP}/login?signed_out=1"])
    yield running
    running.stop()


@pytest.fixture(scope="module")
def schema(database_url: str) -> Iterator[str]:
    name = f"t_oidc_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def settings_for(issuer: str, database_url: str, schema: str, **extra: Any) -> ReportingSettings:
    return ReportingSettings(database_url=database_url, db_schema=schema, consume=False, environment="test",
                             jwt_issuer=issuer, jwt_jwks_url=f"{issuer}/jwks", jwt_audience="camket",
                             oidc_issuer=issuer, oidc_client_secret="test-secret", oidc_resource="urn:camket:api",
                             oidc_scopes="openid profile camket:api", public_url=APP, **extra)


@pytest.fixture
def app(provider: OidcTestProvider, database_url: str, schema: str) -> Iterator[TestClient]:
    with TestClient(create_app(build(settings_for(provider.issuer, database_url, schema))),
                    follow_redirects=False) as client:
        yield client


def sign_in(app: TestClient, role: str) -> str:
    """Up to the provider's redirect back to the dashboard; returns that callback URL (not yet opened)."""
    started = app.get("/login", params={"next": "/dashboard"})
    assert started.status_code == 303, started.text
    return sign_in_at_provider(started.headers["location"], USERS[role], stop_at=f"{APP}/auth/callback")


def rows(database_url: str, schema: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    with psycopg.connect(database_url) as conn:
        return [(r[0], r[1]) for r in conn.execute(sql.SQL(
            "SELECT key, data FROM {}.web_sessions WHERE kind = %s").format(sql.Identifier(schema)), (kind,))]


def move_clock(database_url: str, schema: str, column: str, seconds: int) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("UPDATE {}.web_sessions SET {} = {} - %s").format(
            sql.Identifier(schema), sql.Identifier(column), sql.Identifier(column)), (seconds,))


def test_a_user_signs_in_at_the_provider_sees_the_dashboard_and_logs_out(app: TestClient) -> None:
    landed = app.get(sign_in(app, "unit_head"))
    assert landed.status_code == 303 and landed.headers["location"] == "/dashboard"
    page = app.get("/dashboard")
    assert page.status_code == 200
    assert "Lê Thị Hoa" in page.text and "ql-cndmst" in page.text
    out = app.post("/logout")
    target = urlsplit(out.headers["location"])
    assert out.status_code == 303 and target.path == "/session/end"
    assert parse_qs(target.query)["post_logout_redirect_uri"] == [f"{APP}/login?signed_out=1"]
    assert app.get("/dashboard").status_code == 303  # the session is gone here, whatever the browser keeps


def test_a_tampered_state_is_refused(app: TestClient) -> None:
    back = urlsplit(sign_in(app, "office"))
    query = parse_qs(back.query)
    answer = app.get("/auth/callback", params={"code": query["code"][0], "state": query["state"][0] + "x"})
    assert answer.status_code == 400 and "state" in answer.text
    assert app.get("/dashboard").status_code == 303


def test_a_replayed_code_is_refused(app: TestClient) -> None:
    callback = sign_in(app, "office")
    assert app.get(callback).status_code == 303
    assert app.get(callback).status_code == 400  # its state was used up
    code = parse_qs(urlsplit(callback).query)["code"][0]
    fresh = parse_qs(urlsplit(sign_in(app, "office")).query)["state"][0]
    replayed = app.get("/auth/callback", params={"code": code, "state": fresh})  # the provider refuses it
    assert replayed.status_code == 401 and "invalid_grant" in replayed.text


def test_a_wrong_nonce_is_refused(app: TestClient, database_url: str, schema: str) -> None:
    callback = sign_in(app, "office")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("UPDATE {}.web_sessions SET data = jsonb_set(data, '{{nonce}}', '\"forged\"') "
                             "WHERE kind = 'pending'").format(sql.Identifier(schema)))
    answer = app.get(callback)
    assert answer.status_code == 401 and "nonce" in answer.text
    assert app.get("/dashboard").status_code == 303


@pytest.mark.parametrize(("column", "setting"), [("seen_at", 30 * 60), ("created_at", 10 * 3600)],
                         ids=["idle", "absolute"])
def test_an_expired_session_sends_to_sign_in_again(app: TestClient, database_url: str, schema: str,
                                                   column: str, setting: int) -> None:
    app.get(sign_in(app, "board"))
    assert app.get("/dashboard").status_code == 200
    move_clock(database_url, schema, column, setting - 5)  # not yet
    assert app.get("/dashboard").status_code == 200
    move_clock(database_url, schema, column, setting + 10)
    expired = app.get("/dashboard")
    assert expired.status_code == 303 and expired.headers["location"].startswith("/login")


def test_the_access_token_is_refreshed_when_it_nears_expiry(app: TestClient, database_url: str, schema: str
                                                           ) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:  # other tests' sessions share the table
        conn.execute(sql.SQL("DELETE FROM {}.web_sessions").format(sql.Identifier(schema)))
    app.get(sign_in(app, "inspector"))
    [(_, before)] = rows(database_url, schema, "active")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("UPDATE {}.web_sessions SET data = jsonb_set(data, '{{expires_at}}', '0')").format(
            sql.Identifier(schema)))
    assert app.get("/dashboard").status_code == 200
    [(_, after)] = rows(database_url, schema, "active")
    assert after["access_token"] != before["access_token"] and after["expires_at"] > 0


def test_a_user_with_no_mapped_role_is_told_whom_to_ask(app: TestClient) -> None:
    answer = app.get(sign_in(app, "none"))
    assert answer.status_code == 403
    assert "Chưa được gán vai trò" in answer.text and "Văn phòng Sở" in answer.text
    assert app.get("/dashboard").status_code == 303


def test_a_provider_that_is_down_gives_a_clear_page(database_url: str, schema: str) -> None:
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with TestClient(create_app(build(settings_for(down, database_url, schema))), follow_redirects=False) as app:
        answer = app.get("/login")
    assert answer.status_code == 503 and "Không kết nối được hệ thống định danh" in answer.text


def test_each_sign_in_sweeps_abandoned_sign_ins_and_sessions_past_their_age(app: TestClient, database_url: str,
                                                                            schema: str) -> None:
    app.get(sign_in(app, "office"))
    sign_in(app, "office")  # abandoned at the provider: left pending
    move_clock(database_url, schema, "created_at", 10 * 3600 + 1)
    assert rows(database_url, schema, "pending") and rows(database_url, schema, "active")
    app.get("/login")  # someone starts signing in
    assert len(rows(database_url, schema, "pending")) == 1 and not rows(database_url, schema, "active")


def test_a_provider_that_goes_down_mid_way_gives_a_clear_page(database_url: str, schema: str) -> None:
    own = OidcTestProvider([f"{APP}/auth/callback"], [f"{APP}/login?signed_out=1"])
    try:
        with TestClient(create_app(build(settings_for(own.issuer, database_url, schema))),
                        follow_redirects=False) as app:
            app.get(sign_in(app, "office"))
            assert app.get("/dashboard").status_code == 200
            callback = sign_in(app, "office")
            own.stop()  # between the provider's redirect back and the code's exchange
            answer = app.get(callback)
            assert answer.status_code == 503 and "Không kết nối được hệ thống định danh" in answer.text
            with psycopg.connect(database_url, autocommit=True) as conn:  # the access token due for refresh
                conn.execute(sql.SQL("UPDATE {}.web_sessions SET data = jsonb_set(data, '{{expires_at}}', '0')")
                             .format(sql.Identifier(schema)))
            page = app.get("/dashboard")
            assert page.status_code == 503 and "Không kết nối được hệ thống định danh" in page.text
            assert "Tạm thời chưa phục vụ được" in page.text
    finally:
        own.stop()
