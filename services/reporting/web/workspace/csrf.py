"""CSRF tokens for the forms: a signed double-submit token bound to the session. Each form carries
`nonce.HMAC(secret, session ‖ nonce)`; a POST is accepted only if the token verifies against the
session cookie it arrives with. Another site can make the browser send the cookie (SameSite=Lax
still lets a top-level POST through on some browsers and subdomains) but cannot read a page to learn
the token, nor forge one without the server's secret."""

from __future__ import annotations

import hashlib
import hmac
import secrets

FIELD = "csrf_token"


class CsrfTokens:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, session: str, nonce: str) -> str:
        message = f"{session}\x00{nonce}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def issue(self, session: str) -> str:
        nonce = secrets.token_urlsafe(12)
        return f"{nonce}.{self._mac(session, nonce)}"

    def valid(self, session: str | None, token: str | None) -> bool:
        if not session or not token or "." not in token:
            return False
        nonce, mac = token.split(".", 1)
        return hmac.compare_digest(mac, self._mac(session, nonce))
