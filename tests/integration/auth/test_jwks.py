"""Tokens checked against an identity provider's JWKS served over real HTTP on a local port: keys are
fetched without blocking the event loop and refreshed, so a key the provider removes stops working
within the refresh interval. The keys' clock is the test's: time passes when the test says so."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reporting.api.app import create_app
from reporting.bootstrap import build
from reporting.config import ReportingSettings
from shared.auth.jwks import JwksKeys, KeysUnavailable
from shared.auth.tokens import InvalidToken, TokenVerifier

ISSUER, AUDIENCE = "https://id.example.gov.vn", "camket"


class Provider:
    """A JWKS endpoint whose key set, availability and pace the test controls."""

    def __init__(self) -> None:
        self.keys: dict[str, Ed25519PrivateKey] = {}
        self.up = True
        self.requests = 0
        self.requested = threading.Event()
        self.release = threading.Event()
        self.release.set()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.requests += 1
                provider.requested.set()
                provider.release.wait(10)
                if not provider.up:
                    self.send_error(503)
                    return
                body = json.dumps({"keys": [provider.jwk(kid) for kid in provider.keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks"

    def jwk(self, kid: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(self.keys[kid].public_key()))
        return data | {"kid": kid, "use": "sig"}

    def token(self, kid: str) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "bgd.lam", "name": "Trần Ngọc Lâm", "unit": "bgd",
                  "roles": ["board"], "iat": now, "exp": now + 3600}
        return jwt.encode(claims, self.keys[kid], algorithm="EdDSA", headers={"kid": kid})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def provider() -> Iterator[Provider]:
    served = Provider()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    yield served
    served.release.set()
    served.server.shutdown()
    served.server.server_close()


def verifier(provider: Provider, clock: Clock, refresh: float = 60.0) -> TokenVerifier:
    keys = JwksKeys(provider.url, refresh_seconds=refresh, max_age_seconds=300.0, min_refetch_seconds=5.0,
                    clock=clock)
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=keys)


async def test_a_removed_key_stops_working_within_the_refresh_interval(provider: Provider) -> None:
    provider.keys = {"k1": Ed25519PrivateKey.generate(), "k2": Ed25519PrivateKey.generate()}
    clock = Clock()
    tokens = verifier(provider, clock)
    old, new = provider.token("k1"), provider.token("k2")
    assert (await tokens.authenticate(old)).user_id == "bgd.lam"
    assert (await tokens.authenticate(new)).unit == "bgd"
    assert provider.requests == 1  # one fetch serves both keys
    del provider.keys["k1"]  # the provider rotates k1 out
    clock.now += 59
    assert (await tokens.authenticate(old)).user_id == "bgd.lam"  # still within the interval: cached
    clock.now += 1
    with pytest.raises(InvalidToken, match="k1"):
        await tokens.authenticate(old)
    assert (await tokens.authenticate(new)).unit == "bgd" and provider.requests == 2


async def test_a_new_key_is_fetched_when_a_token_names_it_but_not_on_every_request(provider: Provider) -> None:
    provider.keys = {"k1": Ed25519PrivateKey.generate()}
    clock = Clock()
    tokens = verifier(provider, clock)
    await tokens.authenticate(provider.token("k1"))
    provider.keys["k3"] = Ed25519PrivateKey.generate()
    clock.now += 5
    assert (await tokens.authenticate(provider.token("k3"))).roles == {"board"}
    forged = jwt.encode({"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "k9"})
    with pytest.raises(InvalidToken):  # within min_refetch_seconds of the last fetch: not fetched again
        await tokens.authenticate(forged)
    assert provider.requests == 2
    clock.now += 5
    for _ in range(20):  # unknown key ids: one fetch, then no more until min_refetch_seconds have passed
        with pytest.raises(InvalidToken):
            await tokens.authenticate(forged)
    assert provider.requests == 3


async def test_keys_are_kept_while_the_provider_is_down_then_nothing_is_trusted(provider: Provider) -> None:
    provider.keys = {"k1": Ed25519PrivateKey.generate()}
    clock = Clock()
    tokens = verifier(provider, clock)
    token = provider.token("k1")
    await tokens.authenticate(token)
    provider.up = False
    clock.now += 200  # past the refresh interval: the fetch fails, the keys are still young enough
    assert (await tokens.authenticate(token)).user_id == "bgd.lam"
    clock.now += 100  # past their maximum age
    with pytest.raises(KeysUnavailable):
        await tokens.authenticate(token)
    provider.up = True
    clock.now += 5
    assert (await tokens.authenticate(token)).user_id == "bgd.lam"


async def test_fetching_the_keys_never_blocks_the_event_loop(provider: Provider) -> None:
    provider.keys = {"k1": Ed25519PrivateKey.generate()}
    provider.release.clear()  # the provider holds its answer until the test lets it go
    tokens = verifier(provider, Clock())
    pending = asyncio.create_task(tokens.authenticate(provider.token("k1")))
    # The loop must keep running while the fetch waits: were the fetch blocking, this line would only
    # run after the provider's 10 s hold, with the task already done.
    assert await asyncio.to_thread(provider.requested.wait, 5)
    await asyncio.sleep(0)
    assert not pending.done()
    provider.release.set()
    assert (await pending).user_id == "bgd.lam"


async def test_a_header_algorithm_other_than_the_keys_is_refused(provider: Provider) -> None:
    provider.keys = {"k1": Ed25519PrivateKey.generate()}
    tokens = verifier(provider, Clock())
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "name": "X", "unit": "bgd", "roles": ["board"],
              "iat": now, "exp": now + 60}
    rsa_signed = jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048),
                            algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(InvalidToken):
        await tokens.authenticate(rsa_signed)


async def test_a_service_signs_in_with_the_providers_keys_and_stops_when_one_is_removed(provider: Provider,
                                                                                          tmp_path: Path) -> None:
    provider.keys = {"k1": Ed25519PrivateKey.generate()}
    clock = Clock()
    app = create_app(build(ReportingSettings(state_dir=tmp_path, consume=False, jwt_issuer=ISSUER),
                           token_verifier=verifier(provider, clock)))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reporting") as client:
        token = provider.token("k1")
        assert (await client.post("/login", content=f"token={token}", headers=form)).status_code == 303
        provider.keys = {"k2": Ed25519PrivateKey.generate()}
        clock.now += 60
        refused = await client.post("/login", content=f"token={token}", headers=form)
        assert refused.status_code == 401 and "k1" in refused.text
