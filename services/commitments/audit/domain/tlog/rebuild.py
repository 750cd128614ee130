"""The log entry an event row gives, for verification: built from the row's bytes (leaves.py's layout) and
compared with the stored entry as bytes, without decoding either into objects.

The row fixes every field of its entry but the sealer's three tags (verdict, unit, year). The common case is
a stored entry that is the row's own prefix, a well-formed tag section and the row's evidence list: then it is
the entry, byte for byte (what `Entry.decode` accepts and `Entry.of` re-encodes). Anything else — a topic long
enough to be hashed, an entry that differs, a row that does not parse — takes the general path, which decodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from commitments.audit.domain.leaves import decode_row
from commitments.audit.domain.tlog.entry import FORMAT, MAX_TOPIC, Entry, evidence_hashes
from commitments.domain.signed_records import MARKER, TRAILER_LEN

_ROW_HEAD = 32  # notification id (8) ‖ originator id (16) ‖ version (8): the entry's head after its format byte
_ENTRY_FORMAT = bytes([FORMAT])
_MAX_UNIT = 256  # characters, as Entry.encode keeps them


def entries_of_rows(rows: Sequence[bytes], stored: Sequence[bytes]) -> list[bytes]:
    """The entry each row gives (`general`), the stored entry at the same offset giving the tags (none beyond
    the stored): the common case in one loop, a stored entry's own object returned where it is the entry."""
    sha, marker, good, out = hashlib.sha256, MARKER, set(), []
    count = len(stored)
    for offset, row in enumerate(rows):
        have = stored[offset] if offset < count else None
        topic_length = int.from_bytes(row[_ROW_HEAD:_ROW_HEAD + 4])
        start = _ROW_HEAD + 4 + topic_length
        if have is None or topic_length > MAX_TOPIC or len(row) < start:
            out.append(general(row, have))
            continue
        if len(row) - start >= TRAILER_LEN and row[-TRAILER_LEN:-TRAILER_LEN + len(marker)] == marker:
            body, signature = row[start:-TRAILER_LEN], b"\x01" + row[-TRAILER_LEN + len(marker):]
        else:
            body, signature = row[start:], b"\x00"
        prefix = (_ENTRY_FORMAT + row[:_ROW_HEAD] + topic_length.to_bytes(2) + row[_ROW_HEAD + 4:start]
                  + sha(body).digest() + signature)
        hashes = evidence_hashes(body)
        evidence = len(hashes).to_bytes(2) + b"".join(hashes) if hashes else b"\x00\x00"
        if have.startswith(prefix) and have.endswith(evidence):
            tags = have[len(prefix):len(have) - len(evidence)]
            if tags in good or _tags_canonical(tags):
                good.add(tags)
                out.append(have)
                continue
        out.append(general(row, have))
    return out


def _tags_canonical(tags: bytes) -> bool:
    """verdict (0 or 1) ‖ u16 n ‖ n bytes of UTF-8 (at most 256 characters) ‖ u16 year, and nothing else."""
    if len(tags) < 5 or tags[0] > 1 or len(tags) != 5 + int.from_bytes(tags[1:3]):
        return False
    try:
        return len(tags[3:-2].decode()) <= _MAX_UNIT
    except UnicodeDecodeError:
        return False


def general(row: bytes, stored: bytes | None) -> bytes:
    """The definition: the stored entry decoded for its tags, the row's entry encoded with them."""
    decoded = decode_row(row)
    try:
        sealed = Entry.decode(stored) if stored is not None else None
    except ValueError:
        sealed = None
    if sealed is None:
        return Entry.of(decoded, False, "").encode()
    return Entry.of(decoded, sealed.signed, sealed.unit, sealed.year).encode()
