"""The log's entry for one stored event: a canonical, bounded binary encoding (all integers big-endian).

    u8   format            = 1
    i64  notification_id   the event's place in the log's order
    16   originator_id     the task (or other aggregate) id
    i64  originator_version
    u16  n ‖ n bytes       topic, UTF-8 (a topic longer than 1024 bytes is replaced by "sha256:<hex>" of it)
    32   SHA-256 of the stored state without its signature trailer (the event's content)
    u8   1 if the state carries the service's signature trailer, then 8 key id ‖ 64 Ed25519 signature; else 0
    u8   the sealer's verdict: 1 if that signature verifies with a service key, 0 if not (a forged row)
    u16  n ‖ n bytes       unit tag, UTF-8: the unit the task belongs to after this event ("" if none: not a
                           task event, or a row the domain cannot read)
    u16  year tag          the task's program year (0 if none, as for the unit tag)
    u16  k ‖ k × 32        SHA-256 of each evidence file the event names, in the event's order (its
                           `evidence_files`; none for an event without files or a state that is not JSON)

The content enters as its hash, so the tiles — readable without a token — disclose no task data, while a
bundle that carries the content proves it against the entry. The unit and year tags let a unit's or a year's
bundle prove it is complete: its verifier sees every entry and checks that every task tagged with the unit
(or year) has all its events in the bundle. The tags are the sealer's statement, taken from the change index;
a program bundle checks each one against the event's content.
The leaf hash is RFC 6962's SHA-256(0x00 ‖ entry). An entry is at most ~1.3 kB plus the unit and evidence.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass
from uuid import UUID

from commitments.audit.domain.leaves import LogRow
from commitments.domain.signed_records import split_signed

FORMAT = 1
MAX_TOPIC = 1024
MAX_EVIDENCE = 64  # an event names at most 10 (the domain's bound); the entry stays bounded regardless
_HEAD = struct.Struct(">BQ16sq")
_U16 = struct.Struct(">H")


@dataclass(frozen=True)
class Entry:
    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    content: bytes  # SHA-256 of the state without its trailer
    signature: tuple[bytes, bytes] | None  # (key id, signature)
    signed: bool
    unit: str
    year: int = 0
    evidence: tuple[bytes, ...] = ()

    def encode(self) -> bytes:
        topic = self.topic.encode()
        if len(topic) > MAX_TOPIC:
            topic = b"sha256:" + hashlib.sha256(topic).hexdigest().encode()
        unit = self.unit[:256].encode()
        sig = b"\x00" if self.signature is None else b"\x01" + self.signature[0] + self.signature[1]
        return (_HEAD.pack(FORMAT, self.notification_id, self.originator_id.bytes, self.originator_version)
                + _U16.pack(len(topic)) + topic + self.content + sig + bytes([self.signed])
                + _U16.pack(len(unit)) + unit + _U16.pack(self.year) + _U16.pack(len(self.evidence))
                + b"".join(self.evidence))

    @classmethod
    def of(cls, row: LogRow, signed: bool, unit: str, year: int = 0) -> Entry:
        split = split_signed(row.state)
        body = row.state if split is None else split[0]
        return cls(row.notification_id, row.originator_id, row.originator_version, row.topic,
                   hashlib.sha256(body).digest(), None if split is None else (split[1], split[2]), signed, unit,
                   year if 0 <= year < 1 << 16 else 0, evidence_hashes(body))

    @classmethod
    def decode(cls, data: bytes) -> Entry:
        """The entry back from its bytes; ValueError if they are not exactly one well-formed entry."""
        try:
            return _decode(data)
        except (struct.error, IndexError, UnicodeDecodeError):
            raise ValueError("entry: malformed") from None


def _decode(data: bytes) -> Entry:
    fmt, nid, oid, version = _HEAD.unpack_from(data)
    if fmt != FORMAT:
        raise ValueError(f"entry: unknown format {fmt}")
    at = _HEAD.size
    (n,) = _U16.unpack_from(data, at)
    topic = data[at + 2:at + 2 + n].decode()
    at += 2 + n
    content, at = data[at:at + 32], at + 32
    signature = None
    if data[at] == 1:
        signature, at = (data[at + 1:at + 9], data[at + 9:at + 73]), at + 73
    elif data[at] != 0:
        raise ValueError("entry: bad signature flag")
    else:
        at += 1
    if data[at] not in (0, 1):
        raise ValueError("entry: bad verdict")
    signed = data[at] == 1
    (n,) = _U16.unpack_from(data, at + 1)
    unit = data[at + 3:at + 3 + n].decode()
    at += 3 + n
    (year, k) = struct.unpack_from(">HH", data, at)
    evidence = tuple(data[at + 4 + 32 * i:at + 36 + 32 * i] for i in range(k))
    entry = Entry(nid, UUID(bytes=oid), version, topic, content, signature, signed, unit, year, evidence)
    if len(content) != 32 or entry.encode() != data:
        raise ValueError("entry: not in canonical form")
    return entry


def evidence_hashes(body: bytes) -> tuple[bytes, ...]:
    """The SHA-256 of each evidence file a stored event names (`evidence_files`, each transcoded as
    {"_type_": "evidence_file", "_data_": {"sha256": …}}). Read from the content the entry hashes, so the
    verifier derives the same; anything else (no files, not JSON, a value not a hash) names none."""
    named = body.count(b'"evidence_files"')
    if not named:  # events of other kinds: no parsing
        return ()
    if named == 1:
        # Most events name none. Without a NUL the JSON can only be read as UTF-8 (UTF-16 and -32 put one in
        # every ASCII character); without a backslash every quote delimits a string, so the one key spelled
        # out is the only one, and an empty list there names none, as parsing would (top level or nested).
        # (find, not `in`: a fraction of the cost on bytes.)
        at = body.rfind(b'"evidence_files"') + len(b'"evidence_files"')
        if body[at:at + 3] == b":[]" and body.find(b"\\") < 0 and body.find(b"\x00") < 0:
            return ()
    try:
        files = json.loads(body).get("evidence_files")
        found = tuple(bytes.fromhex(f["_data_"]["sha256"]) for f in files)
    except (ValueError, TypeError, KeyError, AttributeError):
        return ()
    return found[:MAX_EVIDENCE] if all(len(h) == 32 for h in found) else ()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()
