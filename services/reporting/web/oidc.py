"""The OpenID Connect client of the dashboard: discovery from the issuer URL, the authorization code
flow with PKCE, `state` and `nonce` (authlib), the ID token checked with joserfc, refresh, and the
provider's end-session URL. Any failure to reach the provider is `ProviderDown` (a page, never a 500)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from reporting.config import ReportingSettings
from reporting.web.sessions_store import new_secret

DISCOVERY_TTL = 3600.0
CALLBACK = "/auth/callback"
ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]


class ProviderDown(Exception):
    """The identity provider could not be reached, or answered nonsense."""


class SignInRefused(Exception):
    """The provider's answer does not complete a sign-in (a wrong state or nonce, a used code...)."""


@dataclass
class Oidc:
    settings: ReportingSettings
    transport: httpx.AsyncBaseTransport | None = None  # tests: none; the real network
    _metadata: dict[str, Any] = field(default_factory=dict)
    _keys: KeySet | None = None
    _fetched_at: float = 0.0

    @property
    def issuer(self) -> str:
        return self.settings.oidc_issuer or ""

    @property
    def redirect_uri(self) -> str:
        return self.settings.public_url.rstrip("/") + CALLBACK

    def client(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(self.settings.oidc_client_id, self.settings.oidc_client_secret.get_secret_value(),
                                 scope=self.settings.oidc_scopes, redirect_uri=self.redirect_uri,
                                 code_challenge_method="S256", timeout=10.0, transport=self.transport)

    async def metadata(self) -> dict[str, Any]:
        if self._metadata and time.monotonic() - self._fetched_at < DISCOVERY_TTL:
            return self._metadata
        try:
            async with httpx.AsyncClient(timeout=10.0, transport=self.transport) as http:
                found = (await http.get(self.issuer.rstrip("/") + "/.well-known/openid-configuration")).json()
                if found.get("issuer") != self.issuer:  # OpenID Connect Discovery §4.3
                    raise ProviderDown(f"the provider's discovery names issuer {found.get('issuer')!r}")
                keys = KeySet.import_key_set((await http.get(found["jwks_uri"])).raise_for_status().json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError, JoseError) as error:
            raise ProviderDown(f"{type(error).__name__}: {error}") from None
        self._metadata, self._keys, self._fetched_at = dict(found), keys, time.monotonic()
        return self._metadata

    async def start(self) -> tuple[str, dict[str, Any]]:
        """The provider's authorization URL and what the callback must find again (kept server-side)."""
        meta = await self.metadata()
        state, nonce, verifier = new_secret(), new_secret(), new_secret() + new_secret()
        extra = {"resource": self.settings.oidc_resource} if self.settings.oidc_resource else {}
        url, _ = self.client().create_authorization_url(meta["authorization_endpoint"], state=state, nonce=nonce,
                                                        code_verifier=verifier, **extra)
        return url, {"state": state, "nonce": nonce, "verifier": verifier}

    async def finish(self, code: str, pending: dict[str, Any]) -> dict[str, Any]:
        """Exchanges the code (with the PKCE verifier) and checks the ID token; the token set, with
        `claims` (the ID token's)."""
        meta = await self.metadata()
        try:
            async with self.client() as client:
                tokens = dict(await client.fetch_token(meta["token_endpoint"], code=code,
                                                       code_verifier=pending["verifier"]))
        except OAuthError as error:  # invalid_grant: a used or forged code
            raise SignInRefused(f"{error.error}: {error.description or ''}".strip(": ")) from None
        except httpx.HTTPError as error:
            raise ProviderDown(f"{type(error).__name__}: {error}") from None
        tokens["claims"] = self.id_token_claims(str(tokens.get("id_token", "")), pending["nonce"])
        return tokens

    def id_token_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        assert self._keys is not None  # metadata() has run
        registry = JWTClaimsRegistry(leeway=60, iss={"essential": True, "value": self.issuer},
                                     aud={"essential": True, "value": self.settings.oidc_client_id},
                                     sub={"essential": True}, exp={"essential": True},
                                     nonce={"essential": True, "value": nonce})
        try:
            decoded = jwt.decode(id_token, self._keys, algorithms=ID_TOKEN_ALGORITHMS)
            registry.validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise SignInRefused(f"the ID token is not valid: {error}") from None
        return dict(decoded.claims)

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        meta = await self.metadata()
        try:
            async with self.client() as client:
                return dict(await client.refresh_token(meta["token_endpoint"], refresh_token=refresh_token))
        except OAuthError as error:
            raise SignInRefused(f"refresh refused: {error.error}") from None
        except httpx.HTTPError as error:
            raise ProviderDown(f"{type(error).__name__}: {error}") from None

    async def end_session_url(self, id_token: str, after: str) -> str | None:
        try:
            endpoint = (await self.metadata()).get("end_session_endpoint")
        except ProviderDown:
            return None  # the session here is gone already; the provider's may outlive it
        if not isinstance(endpoint, str):
            return None
        query = {"id_token_hint": id_token, "post_logout_redirect_uri": after,
                 "client_id": self.settings.oidc_client_id}
        return f"{endpoint}?{urlencode(query)}"
