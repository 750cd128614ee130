"""The signed-record format of a stored event: pure bytes and Ed25519, no storage.

Stored state = encoded state ‖ MARKER ‖ key id (8 bytes) ‖ signature (64 bytes). The signature covers
the event's identity (aggregate id, version, topic) as well as its state, so a valid row cannot be moved.
The write side signs with it (commitments.persistence.signing); the audit checks rows, bundles and the
transparency log's entries with it, offline too, so the format has one home here.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.persistence import StoredEvent

MARKER = b"\x00CKSIG1"
KEY_ID_LEN = 8
SIGNATURE_LEN = 64
TRAILER_LEN = len(MARKER) + KEY_ID_LEN + SIGNATURE_LEN


def key_id(public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KEY_ID_LEN]


def signed_message(originator_id: object, version: int, topic: str, state: bytes) -> bytes:
    return f"{originator_id}\n{version}\n{topic}\n".encode() + state


def signed(stored: StoredEvent, key: Ed25519PrivateKey, kid: bytes) -> StoredEvent:
    """The stored event with its signature trailer appended (`kid` is `key_id` of the key's public half)."""
    message = signed_message(stored.originator_id, stored.originator_version, stored.topic, stored.state)
    trailer = MARKER + kid + key.sign(message)
    return StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                       topic=stored.topic, state=stored.state + trailer)


def split_signed(state: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(state, key id, signature), or None when the row carries no signature trailer."""
    if len(state) < TRAILER_LEN or state[-TRAILER_LEN:-TRAILER_LEN + len(MARKER)] != MARKER:
        return None
    body, trailer = state[:-TRAILER_LEN], state[-TRAILER_LEN + len(MARKER):]
    return body, trailer[:KEY_ID_LEN], trailer[KEY_ID_LEN:]


def unsigned(stored: StoredEvent) -> StoredEvent:
    """The stored event without its signature trailer (as it is, when it carries none)."""
    parts = split_signed(stored.state)
    if parts is None:
        return stored
    return StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                       topic=stored.topic, state=parts[0])


def verify_stored(stored: StoredEvent, keys: dict[bytes, Ed25519PublicKey]) -> bool:
    parts = split_signed(stored.state)
    if parts is None or parts[1] not in keys:
        return False
    body, kid, signature = parts
    try:
        keys[kid].verify(signature, signed_message(stored.originator_id, stored.originator_version,
                                                   stored.topic, body))
    except InvalidSignature:
        return False
    return True
