"""Whether the dashboard's cookies are `Secure`: always when its public URL is https, and when this
request came over https — directly, or through a TLS-terminating proxy we were told to trust (its
X-Forwarded-Proto from anyone else is ignored: a client could claim anything)."""

from __future__ import annotations

from fastapi import Request


def cookie_is_secure(request: Request) -> bool:
    settings = request.app.state.container.settings
    if str(settings.public_url).startswith("https://") or request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return peer in settings.trusted_proxies and forwarded == "https"
