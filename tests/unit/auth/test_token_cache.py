"""The verifier remembers tokens it verified (a signature check is the dearest step of a request), but a
remembered token still stops at its `exp`, and the memory is a bounded LRU: the tokens in use stay,
the oldest unused one goes first. (A key withdrawn from a JWKS: tests/integration/auth/test_jwks.py.)"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from shared.auth import tokens
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import InvalidToken, TokenVerifier

ISSUER, AUDIENCE = "camket-dev", "camket"


class CountingVerifier(TokenVerifier):
    """The real verifier, counting the signature checks it makes."""

    checks = 0

    def _decode(self, token: str, key: Any, algorithm: str) -> tuple[tokens.Principal, float]:
        self.checks += 1
        return super()._decode(token, key, algorithm)


@pytest.fixture
def private(tmp_path: Path) -> Any:
    return load_private_key(ensure_key_pair(tmp_path, "jwt"))


@pytest.fixture
def verifier(tmp_path: Path, private: Any) -> CountingVerifier:
    return CountingVerifier(issuer=ISSUER, audience=AUDIENCE, public_key_file=tmp_path / "jwt.pub.pem")


def token(private: Any, user: str, exp: float) -> str:
    now = int(time.time())
    return jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": user, "name": user, "unit": "vp",
                       "roles": ["office"], "iat": now, "exp": int(exp)}, private, algorithm="EdDSA")


def test_a_remembered_token_is_checked_once_and_still_expires(verifier: CountingVerifier, private: Any) -> None:
    expires = int(time.time()) + 2
    short = token(private, "vp.nhung", expires)
    assert verifier.verify(short).user_id == "vp.nhung"
    assert verifier.verify(short).user_id == "vp.nhung"
    assert verifier.checks == 1
    while time.time() <= expires + 0.05:
        time.sleep(0.1)
    with pytest.raises(InvalidToken):
        verifier.verify(short)
    with pytest.raises(InvalidToken):  # and it was not put back into the memory either
        verifier.verify(short)


def test_the_memory_is_bounded_and_keeps_the_tokens_in_use(verifier: CountingVerifier, private: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "VERIFIED_CACHE_SIZE", 2)
    later = time.time() + 600
    first, second, third = (token(private, user, later) for user in ("a", "b", "c"))
    verifier.verify(first)
    verifier.verify(second)
    verifier.verify(first)  # in use: now the most recently used
    verifier.verify(third)  # over the bound: `second`, the least recently used, is forgotten
    assert verifier.checks == 3
    verifier.verify(first)
    assert verifier.checks == 3
    verifier.verify(second)
    assert verifier.checks == 4
