"""An evidence file as an event records it, and why one is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass

from commitments.domain.evidence import EvidenceFile  # what an event cites; the domain owns it

__all__ = ["SHA256_HEX", "EvidenceCorrupted", "EvidenceFile", "EvidenceMissing", "EvidenceRefused", "StoredFile"]

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredFile:
    """The bytes as stored: their hash, size and the media type read from them."""

    sha256: str
    size: int
    media_type: str


class EvidenceRefused(Exception):
    """A file the service will not keep (type, size, name), naming the field at fault."""

    def __init__(self, message: str, field: str = "file", status: int = 422) -> None:
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


class EvidenceMissing(Exception):
    def __init__(self, sha256: str) -> None:
        super().__init__(f"no evidence file with SHA-256 {sha256}")
        self.sha256 = sha256


class EvidenceCorrupted(Exception):
    """The stored bytes no longer hash to their name: the store was altered."""

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"the stored bytes of {sha256} now hash to {actual}")
        self.sha256, self.actual = sha256, actual
