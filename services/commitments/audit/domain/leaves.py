"""What the audit covers of each stored event row: its bytes, and the sealer's verdict on its signature.

    row bytes = notification_id (int64 BE) ‖ originator_id (16 bytes) ‖ originator_version (int64 BE)
                ‖ len(topic) (uint32 BE) ‖ topic (UTF-8) ‖ state (the stored bytes, signature trailer included)
    verdict   = 0x00 for a row that carries a valid service signature, 0x02 for one that does not
    chain     c(-1) = 32 zero bytes;  c(i) = SHA-256(c(i-1) ‖ verdict ‖ row bytes)
    entry     the Merkle tree's leaf i = SHA-256(0x00 ‖ c(i))
    digest    SHA-256(verdict ‖ row bytes), kept by the sealer to recognise a row that moved

The chain makes checking the whole log one SHA-256 per row; the Merkle tree over the chain values gives
a bundle short proofs of the rows it holds. The notification id is covered, so a row cannot be moved in
the order; the verdict is covered, so the sealer's finding cannot be rewritten later.

A task's head (its last version at a checkpoint) is a leaf of a second, small tree, sorted by task id:
    head leaf = SHA-256(0x00 ‖ originator_id (16) ‖ version (int64 BE) ‖ position (int64 BE))
so a task's bundle can prove that it holds the task's events up to the last one.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from uuid import UUID

_sha256 = hashlib.sha256
_HEADER = struct.Struct(">q16sqI")
_HEAD = struct.Struct(">16sqq")
SIGNED = b"\x00"
UNSIGNED = b"\x02"


@dataclass(frozen=True, slots=True)
class LogRow:
    """One row of the events table, as stored."""

    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes

    def encode(self) -> bytes:
        return encode_row(self.notification_id, self.originator_id.bytes, self.originator_version,
                          self.topic.encode("utf-8"), self.state)


def encode_row(notification_id: int, originator_id: bytes, version: int, topic: bytes, state: bytes) -> bytes:
    return _HEADER.pack(notification_id, originator_id, version, len(topic)) + topic + state


def decode_row(row_bytes: bytes) -> LogRow:
    """The row back from its bytes (the layout above); ValueError if they do not follow it."""
    if len(row_bytes) < _HEADER.size:
        raise ValueError("row bytes shorter than their header")
    notification_id, originator_id, version, topic_length = _HEADER.unpack_from(row_bytes)
    topic_end = _HEADER.size + topic_length
    if len(row_bytes) < topic_end:
        raise ValueError("row bytes shorter than their topic")
    return LogRow(notification_id, UUID(bytes=originator_id), version,
                  row_bytes[_HEADER.size:topic_end].decode("utf-8"), row_bytes[topic_end:])


GENESIS = bytes(32)


def verdict(signed: bool) -> bytes:
    return SIGNED if signed else UNSIGNED


def chain_next(previous: bytes, row_bytes: bytes, signed: bool) -> bytes:
    return _sha256(previous + verdict(signed) + row_bytes).digest()


def row_digest(row_bytes: bytes, signed: bool) -> bytes:
    return _sha256(verdict(signed) + row_bytes).digest()


def entry_leaf(chain: bytes) -> bytes:
    """The Merkle leaf of a chain value (RFC 9162 leaf hashing of the 32 bytes)."""
    return _sha256(SIGNED + chain).digest()


@dataclass(frozen=True, slots=True, order=True)
class Head:
    """A task's last version within a tree, and the position of that event."""

    originator_id: UUID
    version: int
    position: int

    def leaf(self) -> bytes:
        return _sha256(SIGNED + _HEAD.pack(self.originator_id.bytes, self.version, self.position)).digest()


def sorted_heads(heads: dict[UUID, Head]) -> list[Head]:
    return sorted(heads.values(), key=lambda h: h.originator_id.bytes)
