"""Accepting and serving evidence files: the checks a file passes before it is kept, and the hash
re-checked before a stored file is handed out (a download never serves bytes the events do not name)."""

from __future__ import annotations

import hashlib
import tempfile
from typing import BinaryIO

from commitments.evidence.media import sniff
from commitments.evidence.model import EvidenceCorrupted, EvidenceFile, EvidenceMissing, EvidenceRefused, StoredFile
from commitments.evidence.store import CHUNK, BlobStore
from shared.text import UnsafeText, clean_line

MAX_NAME = 255
_FORBIDDEN_IN_NAME = frozenset('/\\:*?"<>|')


def check_name(name: str) -> str:
    """A file name as users see it: text as every field takes it (shared.text), and no path."""
    try:
        name = clean_line(name.strip())
    except UnsafeText as error:
        raise EvidenceRefused(str(error), "name") from None
    if not name or len(name) > MAX_NAME:
        raise EvidenceRefused(f"the file name must have 1–{MAX_NAME} characters", "name")
    if any(c in _FORBIDDEN_IN_NAME for c in name):
        raise EvidenceRefused("the file name may not hold a path separator nor any of * ? \" < > |", "name")
    return name


class EvidenceService:
    def __init__(self, store: BlobStore, max_bytes: int) -> None:
        self.store, self.max_bytes = store, max_bytes

    def accept(self, name: str, file: BinaryIO) -> EvidenceFile:
        """Keep `file` (a seekable spool of the upload) if it is an accepted type within the size."""
        name = check_name(name)
        digest, size = hashlib.sha256(), 0
        file.seek(0)
        while block := file.read(CHUNK):
            digest.update(block)
            size += len(block)
        if size == 0:
            raise EvidenceRefused("the file is empty")
        if size > self.max_bytes:
            raise EvidenceRefused(f"the file must be at most {self.max_bytes} bytes", status=413)
        media_type = sniff(file, name)
        if media_type is None:
            raise EvidenceRefused("only PDF, images and office documents are accepted; the content of this "
                                  "file is none of them", status=415)
        stored = self.store.find(digest.hexdigest())
        if stored is None:  # content-addressed: the same bytes uploaded again are kept once
            stored = StoredFile(digest.hexdigest(), size, media_type)
            self.store.put(stored, file)
        return EvidenceFile(name=name, media_type=stored.media_type, size=stored.size, sha256=stored.sha256)

    def describe(self, sha256: str) -> StoredFile:
        found = self.store.find(sha256)
        if found is None:
            raise EvidenceMissing(sha256)
        return found

    def open(self, sha256: str) -> tuple[StoredFile, BinaryIO]:
        """The stored file and its bytes in a spool, once they have been hashed again."""
        stored = self.describe(sha256)
        spool = tempfile.SpooledTemporaryFile(max_size=4 * CHUNK)  # noqa: SIM115  # the caller closes it
        digest = hashlib.sha256()
        for chunk in self.store.chunks(sha256):
            digest.update(chunk)
            spool.write(chunk)
        if digest.hexdigest() != sha256:
            spool.close()
            raise EvidenceCorrupted(sha256, digest.hexdigest())
        spool.seek(0)
        return stored, spool  # type: ignore[return-value]  # SpooledTemporaryFile is a BinaryIO
