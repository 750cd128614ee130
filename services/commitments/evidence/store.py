"""The port the evidence service stores bytes through; `postgres_store` and `s3_store` implement it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol

from commitments.evidence.model import StoredFile

CHUNK = 1024 * 1024  # one row (or one ranged read) per MiB: a 20 MB file never sits in one value


class BlobStore(Protocol):
    def find(self, sha256: str) -> StoredFile | None:
        """The stored file with this hash, or None."""

    def put(self, stored: StoredFile, file: BinaryIO) -> None:
        """Keep the bytes under their hash; storing the same bytes again changes nothing."""

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The bytes in order (raises EvidenceMissing when there are none)."""

    def close(self) -> None: ...
