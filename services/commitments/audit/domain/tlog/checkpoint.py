"""C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint), without extension lines:

    <origin>\n
    <tree size, decimal, no leading zeros>\n
    <base64 of the RFC 6962 root hash>\n
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from commitments.audit.domain.tlog.note import NoteError

_SIZE = re.compile(r"^(0|[1-9][0-9]{0,18})$")


@dataclass(frozen=True)
class TreeHead:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_body(body: str) -> TreeHead:
    lines = body.split("\n")
    if len(lines) != 4 or lines[3] != "" or not lines[0] or not _SIZE.match(lines[1]):
        raise NoteError("checkpoint: expected three lines (origin, size, root) and no extension lines")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise NoteError("checkpoint: the root is not base64") from None
    if len(root) != 32 or base64.b64encode(root).decode() != lines[2]:
        raise NoteError("checkpoint: the root is not a base64 SHA-256 hash")
    return TreeHead(lines[0], int(lines[1]), root)
