"""An evidence file as an event cites it: the stored bytes' hash, size and sniffed media type, and
the name the user gave them. The hash in the signed event is what ties the evidence to the record."""

from __future__ import annotations

import re
from dataclasses import dataclass

from commitments.domain.errors import require

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
MAX_EVIDENCE_FILES = 10


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    media_type: str  # read from the bytes by the evidence store, never the client's word
    size: int
    sha256: str


def check_evidence_files(files: tuple[EvidenceFile, ...]) -> tuple[EvidenceFile, ...]:
    require(len(files) <= MAX_EVIDENCE_FILES, f"at most {MAX_EVIDENCE_FILES} evidence files", "evidence_files")
    for i, file in enumerate(files):
        require(bool(SHA256_HEX.match(file.sha256)), "not a SHA-256 in lowercase hex", f"evidence_files[{i}].sha256")
        require(file.size > 0, "an evidence file is never empty", f"evidence_files[{i}].size")
    return files
