"""Ports and URLs: the few socket facts the stack needs to decide where servers listen."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit, urlunsplit

LOCALHOST = "127.0.0.1"


def free_port(host: str = LOCALHOST) -> int:
    """A port nothing listens on right now (the kernel's choice, so parallel callers differ)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int, host: str = LOCALHOST) -> bool:
    """True when a server could bind ``host:port`` (no listener there, not even a broken one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR mirrors what the servers do, so TIME_WAIT leftovers don't count as taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def url_port(url: str, default: int) -> int:
    """The port of the first server in ``url`` (NATS URLs may list several, comma-separated)."""
    first = url.split(",", maxsplit=1)[0].strip()
    try:
        return urlsplit(first).port or default
    except ValueError:  # a malformed port: treat it like an absent one
        return default


def local_url(url: str, port: int, user: str | None = None) -> str:
    """``url`` re-pointed at a server of ours on 127.0.0.1:``port``, keeping its path (database).

    Credentials are dropped (our servers trust local connections) except an explicit ``user``.
    """
    parts = urlsplit(url.split(",", maxsplit=1)[0].strip())
    netloc = f"{user}@{LOCALHOST}:{port}" if user else f"{LOCALHOST}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise ValueError(f"no database name in {url!r}")
    return name


def redact(url: str) -> str:
    """``url`` with any password hidden, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
