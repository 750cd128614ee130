"""Which sign-in exists where: the token-paste page only in development and test (production signs in
at the identity provider, or not at all), and when the session cookies are `Secure`."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from reporting.api.app import create_app
from reporting.bootstrap import build
from reporting.config import ReportingSettings
from reporting.web.cookies import cookie_is_secure
from reporting.web.session import COOKIE
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token

ISSUER = "https://sso.example.gov.vn/realms/qt"


def production_client(tmp_path: Path) -> tuple[TestClient, str]:
    private = ensure_key_pair(tmp_path / "keys", "jwt")
    settings = ReportingSettings(state_dir=tmp_path, consume=False, environment="production", jwt_issuer=ISSUER,
                                 jwt_public_key_file=tmp_path / "keys" / "jwt.pub.pem")
    verifier = TokenVerifier(issuer=ISSUER, audience="camket", public_key_file=settings.jwt_public_key_path)
    token = mint_token(load_private_key(private), issuer=ISSUER, audience="camket", user_id="u1", name="An",
                       unit="vp", roles=["office"])
    return TestClient(create_app(build(settings, token_verifier=verifier)), follow_redirects=False), token


def test_production_has_no_token_paste_page(tmp_path: Path) -> None:
    client, token = production_client(tmp_path)
    assert client.get("/login").status_code == 503  # no identity provider configured: said so, no form
    assert "CAMKET_REPORTING_OIDC_ISSUER" in client.get("/login").text
    assert client.post("/login", data={"token": token, "next": "/dashboard"}).status_code == 404
    client.cookies.set(COOKIE, token)  # a pasted-token cookie, even a valid token, is not a session there
    assert client.get("/dashboard").status_code == 303


def request_for(public_url: str, *, scheme: str = "http", peer: str = "10.0.0.5",
                headers: dict[str, str] | None = None, proxies: list[str] | None = None) -> Request:
    settings = SimpleNamespace(public_url=public_url, trusted_proxies=proxies or [])
    app = SimpleNamespace(state=SimpleNamespace(container=SimpleNamespace(settings=settings)))
    scope: dict[str, Any] = {"type": "http", "scheme": scheme, "path": "/", "query_string": b"", "app": app,
                             "client": (peer, 5000), "server": ("camket", 80),
                             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
    return Request(scope)


@pytest.mark.parametrize(("public_url", "scheme", "peer", "headers", "proxies", "secure"), [
    ("https://camket.gov.vn", "http", "10.0.0.5", {}, [], True),
    ("http://127.0.0.1:8002", "https", "10.0.0.5", {}, [], True),
    ("http://127.0.0.1:8002", "http", "10.0.0.5", {}, [], False),
    ("http://127.0.0.1:8002", "http", "10.0.0.5", {"X-Forwarded-Proto": "https"}, ["10.0.0.5"], True),
    ("http://127.0.0.1:8002", "http", "10.0.0.9", {"X-Forwarded-Proto": "https"}, ["10.0.0.5"], False),
    ("http://127.0.0.1:8002", "http", "10.0.0.5", {"X-Forwarded-Proto": "http"}, ["10.0.0.5"], False),
], ids=["public https", "direct tls", "plain http", "trusted proxy", "untrusted peer claims https",
        "trusted proxy says http"])
def test_cookies_are_secure_over_https_only_believing_trusted_proxies(
        public_url: str, scheme: str, peer: str, headers: dict[str, str], proxies: list[str], secure: bool) -> None:
    assert cookie_is_secure(request_for(public_url, scheme=scheme, peer=peer, headers=headers,
                                        proxies=proxies)) is secure
