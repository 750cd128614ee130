"""The identity provider's signing keys (a JWKS), fetched without blocking and kept for a bounded time.

Why an expiry: a key the provider removes (rotated out, or leaked) must stop opening the services soon,
not at the next restart. The key set is fetched again once it is older than `refresh_seconds`, and a
key id the set does not know triggers a fetch too (a fresh rotation), at most once per
`min_refetch_seconds` so that tokens with invented key ids cannot make us hammer the provider. If the
provider cannot be reached, the keys last fetched are kept until `max_age_seconds`, then nothing is
trusted until it answers again. The fetch is an async HTTP request: it never holds up the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

log = logging.getLogger(__name__)
ASYMMETRIC = frozenset({"EdDSA", "RS256", "ES256"})


class KeysUnavailable(Exception):
    """No usable key set: the provider has not answered within the keys' maximum age."""


class JwksKeys:
    def __init__(self, url: str, *, refresh_seconds: float = 300.0, max_age_seconds: float | None = None,
                 min_refetch_seconds: float = 10.0, timeout_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.url, self.refresh_seconds = url, refresh_seconds
        self.max_age_seconds = max_age_seconds if max_age_seconds is not None else 4 * refresh_seconds
        self.min_refetch_seconds, self.timeout_seconds, self._clock = min_refetch_seconds, timeout_seconds, clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._tried_at = float("-inf")
        self._lock = asyncio.Lock()
        self.generation = 0  # bumped whenever the key set changes: cached verifications end with it

    async def refresh_if_due(self) -> None:
        """Fetches the key set if it is older than the refresh interval; raises KeysUnavailable when the
        keys last fetched are past their maximum age."""
        await self._ensure_fresh(None, unknown_too=False)

    async def key(self, kid: str | None) -> jwt.PyJWK:
        """The key a token names (`kid`; with a one-key set, the token may omit it)."""
        await self._ensure_fresh(kid, unknown_too=True)
        found = self._lookup(kid)
        if found is None:
            raise jwt.InvalidKeyError(f"the identity provider has no key {kid!r}")
        return found

    def _lookup(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    def _age(self) -> float:
        return float("inf") if self._fetched_at is None else self._clock() - self._fetched_at

    async def _ensure_fresh(self, kid: str | None, *, unknown_too: bool) -> None:
        stale = self._age() >= self.refresh_seconds
        unknown = unknown_too and self._lookup(kid) is None and (
            self._clock() - self._tried_at >= self.min_refetch_seconds)
        if stale or unknown:
            async with self._lock:  # one fetch at a time; the others use its result
                if self._age() >= self.refresh_seconds or (unknown and self._lookup(kid) is None):
                    await self._fetch()
        if self._age() >= self.max_age_seconds:
            self._drop()
            raise KeysUnavailable(f"the identity provider's keys ({self.url}) could not be fetched")

    async def _fetch(self) -> None:
        self._tried_at = self._clock()
        try:
            async with httpx.AsyncClient(timeout=self.timeout_seconds, follow_redirects=False) as client:
                response = await client.get(self.url, headers={"Accept": "application/json"})
                response.raise_for_status()
                keys = parse_key_set(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            log.warning("fetching the JWKS at %s failed: %s", self.url, error)
            return
        if set(keys) != set(self._keys):
            self.generation += 1
        self._keys, self._fetched_at = keys, self._clock()

    def _drop(self) -> None:
        if self._keys:
            self._keys, self.generation = {}, self.generation + 1


def parse_key_set(document: Any) -> dict[str, jwt.PyJWK]:
    """The signing keys of a JWKS document by key id; symmetric and unusable keys are left out."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("a JWKS is an object with a 'keys' list")
    found: dict[str, jwt.PyJWK] = {}
    for i, data in enumerate(document["keys"]):
        if not isinstance(data, dict) or data.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(data)
        except jwt.PyJWTError:
            continue
        if key.algorithm_name in ASYMMETRIC:
            found[str(data.get("kid", f"#{i}"))] = key
    return found
