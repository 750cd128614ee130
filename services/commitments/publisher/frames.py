"""NATS protocol frames (HPUB) built from bytes prepared ahead, byte for byte what nats-py's
`Client.publish` would send for the same subject, headers and data.

nats-py builds each message's header block in a Python loop (~20–30 µs a message, as much as the
rest of a publish): with 500 messages a window that loop was the publisher's main cost. Here the
reading worker encodes an event's own headers once (`header_block`); the publishing process only
appends the lines it alone knows (the window's expected sequence, the publish span's traceparent)
and writes the whole window to the connection in one go (see `link.JetStreamLink.write`). The
header rules are nats-py's: keys as its `_HEADER_KEY_RE` accepts them, values stripped, CR/LF
turned into spaces.
"""

from __future__ import annotations

import re

from nats.errors import BadHeaderError, BadSubjectError

STATUS_LINE = b"NATS/1.0\r\n"
_KEY = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # as nats.aio.client._HEADER_KEY_RE
_NEWLINES = str.maketrans({"\r": " ", "\n": " "})
_BAD_SUBJECT = re.compile(r"[ \t\r\n]")  # as nats.aio.client._SUBJECT_INVALID_RE (no protocol injection)


def header_lines(headers: dict[str, str]) -> bytes:
    """`key: value\r\n` for each header, in order (no status line, no closing blank line)."""
    parts: list[str] = []
    for k, v in headers.items():
        key = _KEYS.get(k) or _checked(k)
        if key:
            value = v.strip()
            if "\r" in value or "\n" in value:  # never in the envelope's own values: checked, not translated
                value = value.translate(_NEWLINES)
            parts += (key, value, "\r\n")
    return "".join(parts).encode()


_KEYS: dict[str, str] = {}  # key → `key: ` (a handful of keys, the same for every message)


def _checked(k: str) -> str:
    key = k.strip()
    if not key:
        return ""  # nats-py skips an empty key
    if not _KEY.fullmatch(key):
        raise BadHeaderError(key)
    _KEYS[k] = prefix = key + ": "
    return prefix


def header_block(headers: dict[str, str]) -> bytes:
    """The status line and the lines of `headers`; more lines may follow before `hpub` closes it."""
    return STATUS_LINE + header_lines(headers)


def hpub(subject: str, reply: str, block: bytes, data: bytes) -> bytes:
    """One HPUB frame; `block` is a header block without its closing blank line."""
    if not subject or _BAD_SUBJECT.search(subject) or _BAD_SUBJECT.search(reply):
        raise BadSubjectError
    size = len(block) + 2
    return b"".join((b"HPUB %s %s %d %d\r\n" % (subject.encode(), reply.encode(), size, size + len(data)),
                     block, b"\r\n", data, b"\r\n"))


def parse_block(block: bytes) -> dict[str, str]:
    """The headers of a block as a dict (for tests and tools; the publisher never reads them back)."""
    lines = block.decode().split("\r\n")[1:]
    return dict(line.split(": ", 1) for line in lines if line)
