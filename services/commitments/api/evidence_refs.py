"""Cited evidence files → what the event records: media type and size come from the store, never the
client; a hash the store does not hold refuses the whole command before anything is recorded."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from commitments.api.schemas import EvidenceFileRef
from commitments.domain.errors import InvalidValue
from commitments.domain.evidence import EvidenceFile
from commitments.evidence.model import EvidenceMissing, EvidenceRefused, StoredFile
from commitments.evidence.service import check_name


def resolve(refs: Sequence[EvidenceFileRef], describe: Callable[[str], StoredFile]) -> tuple[EvidenceFile, ...]:
    """Blocking (one store look-up per file): call it off the event loop."""
    files = []
    for i, ref in enumerate(refs):
        try:
            name = check_name(ref.name)
        except EvidenceRefused as error:
            raise InvalidValue(error.message, f"evidence_files[{i}].name") from None
        try:
            stored = describe(ref.sha256)
        except EvidenceMissing:
            raise InvalidValue(f"no evidence file with SHA-256 {ref.sha256} was uploaded (POST /api/v1/evidence)",
                               f"evidence_files[{i}].sha256") from None
        files.append(EvidenceFile(name=name, media_type=stored.media_type, size=stored.size, sha256=stored.sha256))
    return tuple(files)
