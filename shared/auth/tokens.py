"""Bearer tokens: verified JWTs carrying the user's id, name, unit and roles.

Production verifies against the identity provider's JWKS (`jwks.py`: fetched asynchronously, kept
with an expiry); a laptop uses the key pair that `camket dev-keys` writes under .camket/keys and
`camket mint-token` signs with. A token is checked only with the algorithm of the key it names: the
header's `alg` never chooses how a key is used (an `RS256` header against an Ed25519 key is refused).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from shared.auth.claims import ROLES, ClaimsMapping, ClaimsRefused, NoRole
from shared.auth.jwks import JwksKeys

__all__ = ["ROLES", "InvalidToken", "NoRoleToken", "Principal", "TokenVerifier", "mint_token", "verifier_for"]
from shared.settings import CamketSettings

VERIFIED_CACHE_SIZE = 10_000


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired, or not from our issuer."""


class NoRoleToken(InvalidToken):
    """A valid token of a user the claims mapping gives no role: the dashboard says whom to ask."""


@dataclass(frozen=True)
class Principal:
    user_id: str
    name: str
    unit: str
    roles: frozenset[str]
    issuer: str = ""  # the identity provider's `iss` and `sub`: who the person is, there
    subject: str = ""

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class TokenVerifier:
    def __init__(self, *, issuer: str, audience: str, public_key_file: Path | None = None,
                 jwks_url: str | None = None, jwks_refresh_seconds: float = 300.0, jwks: JwksKeys | None = None,
                 mapping: ClaimsMapping | None = None) -> None:
        self._issuer, self._audience = issuer, audience
        self.mapping = mapping or ClaimsMapping()
        self.jwks = jwks or (JwksKeys(jwks_url, refresh_seconds=jwks_refresh_seconds) if jwks_url else None)
        self._key: Any = None
        # token → (principal, exp, key generation): least recently used first, at most VERIFIED_CACHE_SIZE
        self._verified: OrderedDict[str, tuple[Principal, float, int]] = OrderedDict()
        if self.jwks is None:
            if public_key_file is None or not public_key_file.exists():
                raise FileNotFoundError(f"no token public key at {public_key_file} (run `camket dev-keys`)")
            self._key = serialization.load_pem_public_key(public_key_file.read_bytes())
            self._algorithm = algorithm_of(self._key)

    async def authenticate(self, token: str) -> Principal:
        """The principal of a bearer token; with a JWKS, its key is fetched (or refreshed) first, without
        blocking the event loop. Raises InvalidToken, or KeysUnavailable when the provider's keys are."""
        if self.jwks is None:
            return self.verify(token)
        await self.jwks.refresh_if_due()  # first: a token verified under a key set since changed is checked again
        cached = self._cached(token, self.jwks.generation)
        if cached is not None:
            return cached
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            jwk = await self.jwks.key(kid if isinstance(kid, str) else None)
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        return self._remember(token, self._decode(token, jwk.key, jwk.algorithm_name), self.jwks.generation)

    def verify(self, token: str) -> Principal:
        """Verifies with the configured public key (no I/O). Once per token: a client reuses its token
        for many requests, and a signature check is the most expensive step of a request. A cached
        token still expires at its `exp`."""
        if self.jwks is not None:
            raise RuntimeError("a verifier on a JWKS verifies with `await authenticate(token)`")
        cached = self._cached(token, 0)
        return cached if cached is not None else self._remember(token, self._decode(token, self._key,
                                                                                    self._algorithm), 0)

    def _cached(self, token: str, generation: int) -> Principal | None:
        """A token verified before, unless it has expired since or the key set changed (a key withdrawn
        from the JWKS must stop its tokens at once): then it is dropped and verified again."""
        cached = self._verified.get(token)
        if cached is None:
            return None
        if cached[1] > time.time() and cached[2] == generation:
            self._verified.move_to_end(token)
            return cached[0]
        self._verified.pop(token, None)
        return None

    def _remember(self, token: str, verified: tuple[Principal, float], generation: int) -> Principal:
        self._verified[token] = (*verified, generation)
        while len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)  # the least recently used
        return verified[0]

    def _decode(self, token: str, key: Any, algorithm: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(token, key=key, algorithms=[algorithm], audience=self._audience,
                                issuer=self._issuer, options={"require": ["exp", "iat", "sub", "iss", "aud"]})
        except (jwt.PyJWTError, TypeError, ValueError) as error:
            # TypeError and ValueError: what PyJWT raises on some malformed tokens and key mismatches.
            raise InvalidToken(str(error) or type(error).__name__) from None
        return principal_from_claims(claims, self.mapping), float(claims["exp"])


def algorithm_of(key: Any) -> str:
    """The one algorithm a public key verifies with."""
    if isinstance(key, Ed25519PublicKey):
        return "EdDSA"
    if isinstance(key, RSAPublicKey):
        return "RS256"
    if isinstance(key, EllipticCurvePublicKey) and key.curve.name == "secp256r1":
        return "ES256"
    raise ValueError(f"unsupported token public key type {type(key).__name__}")


def verifier_for(settings: CamketSettings) -> TokenVerifier:
    return TokenVerifier(issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                         public_key_file=settings.jwt_public_key_path, jwks_url=settings.jwt_jwks_url,
                         jwks_refresh_seconds=settings.jwt_jwks_refresh_seconds, mapping=settings.claims_mapping)


def principal_from_claims(claims: dict[str, Any], mapping: ClaimsMapping | None = None) -> Principal:
    """The principal of verified claims, through the claims mapping (a user it gives no role is refused)."""
    try:
        name, unit, roles = (mapping or ClaimsMapping()).identity(claims)
    except NoRole as error:
        raise NoRoleToken(str(error)) from None
    except ClaimsRefused as error:
        raise InvalidToken(str(error)) from None
    return Principal(user_id=str(claims["sub"]), name=name, unit=unit, roles=roles,
                     issuer=str(claims.get("iss", "")), subject=str(claims["sub"]))


def mint_token(private_key: Ed25519PrivateKey, *, issuer: str, audience: str, user_id: str, name: str,
               unit: str, roles: list[str], ttl_seconds: int = 12 * 3600) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": user_id, "name": name, "unit": unit, "roles": roles,
              "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, private_key, algorithm="EdDSA")
