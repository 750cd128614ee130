"""Ed25519 keys of the audit: the service's event-signing public keys and the sealer's checkpoint key.

A key is named by its id, the first 8 bytes of SHA-256 of its raw public bytes (the same id the
event signature trailer carries). Public keys travel as raw bytes in lower-case hex.
"""

from __future__ import annotations

from collections.abc import Iterable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import StoredEvent

from commitments.audit.domain.leaves import LogRow, decode_row
from commitments.domain.signed_records import key_id, verify_stored

KeyRing = dict[bytes, Ed25519PublicKey]


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_from_raw(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def ring(keys: Iterable[Ed25519PublicKey]) -> KeyRing:
    return {key_id(key): key for key in keys}


def row_signed(row: LogRow, keys: KeyRing) -> bool:
    """Does the row carry a valid signature of the service, by a key in the ring?"""
    return verify_stored(StoredEvent(originator_id=row.originator_id, originator_version=row.originator_version,
                                     topic=row.topic, state=row.state), keys)


def row_bytes_signed(row_bytes: bytes, keys: KeyRing) -> bool:
    try:
        return row_signed(decode_row(row_bytes), keys)
    except ValueError:
        return False
