"""Evidence bytes in memory, beside the in-memory event store (unit tests, a throwaway sandbox)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import BinaryIO

from commitments.evidence.model import EvidenceMissing, StoredFile
from commitments.evidence.store import CHUNK


class MemoryBlobStore:
    def __init__(self) -> None:
        self.files: dict[str, tuple[StoredFile, bytes]] = {}
        self._lock = threading.Lock()

    def find(self, sha256: str) -> StoredFile | None:
        found = self.files.get(sha256)
        return found[0] if found else None

    def put(self, stored: StoredFile, file: BinaryIO) -> None:
        file.seek(0)
        with self._lock:
            self.files.setdefault(stored.sha256, (stored, file.read()))

    def chunks(self, sha256: str) -> Iterator[bytes]:
        if sha256 not in self.files:
            raise EvidenceMissing(sha256)
        data = self.files[sha256][1]
        for start in range(0, len(data), CHUNK):
            yield data[start:start + CHUNK]

    def close(self) -> None:
        self.files.clear()
