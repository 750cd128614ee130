"""Bearer tokens: verified JWTs carrying the user's id, name, unit and roles.

Production verifies against the identity provider's JWKS; a laptop uses the key pair that
`camket dev-keys` writes under .camket/keys and `camket mint-token` signs with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ALGORITHMS = ["EdDSA", "RS256", "ES256"]
VERIFIED_CACHE_SIZE = 10_000
ROLES = frozenset({"office", "unit_staff", "unit_head", "board", "inspector"})


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired, or not from our issuer."""


@dataclass(frozen=True)
class Principal:
    user_id: str
    name: str
    unit: str
    roles: frozenset[str]

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class TokenVerifier:
    def __init__(self, *, issuer: str, audience: str, public_key_file: Path | None = None,
                 jwks_url: str | None = None) -> None:
        self._issuer, self._audience = issuer, audience
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        self._key: Any = None
        self._verified: dict[str, tuple[Principal, float]] = {}
        if self._jwks is None:
            if public_key_file is None or not public_key_file.exists():
                raise FileNotFoundError(f"no token public key at {public_key_file} (run `camket dev-keys`)")
            self._key = serialization.load_pem_public_key(public_key_file.read_bytes())

    def verify(self, token: str) -> Principal:
        """Verifies once per token: a client reuses its token for many requests, and a signature check
        is the most expensive step of a request. A cached token still expires at its `exp`."""
        cached = self._verified.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        principal, expires = self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._key
            claims = jwt.decode(token, key=key, algorithms=ALGORITHMS, audience=self._audience,
                                issuer=self._issuer, options={"require": ["exp", "iat", "sub", "iss", "aud"]})
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        return principal_from_claims(claims), float(claims["exp"])


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    roles = claims.get("roles")
    name, unit = claims.get("name"), claims.get("unit")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidToken("the token's 'roles' claim must be a list of strings")
    unknown = set(roles) - ROLES
    if unknown:
        raise InvalidToken(f"unknown roles in the token: {sorted(unknown)}")
    if not isinstance(name, str) or not name or not isinstance(unit, str) or not unit:
        raise InvalidToken("the token must carry the user's 'name' and 'unit'")
    return Principal(user_id=str(claims["sub"]), name=name, unit=unit, roles=frozenset(roles))


def mint_token(private_key: Ed25519PrivateKey, *, issuer: str, audience: str, user_id: str, name: str,
               unit: str, roles: list[str], ttl_seconds: int = 12 * 3600) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": user_id, "name": name, "unit": unit, "roles": roles,
              "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, private_key, algorithm="EdDSA")
