"""Every stored event carries the commitments service's Ed25519 signature.

The signing key lives outside the database (a file or a secret), so a row that someone inserts or
edits directly in PostgreSQL cannot carry a valid signature: the Inspectorate's verification
(`camket audit verify`) reports it as forged wherever it stands. The signature covers the event's
identity (aggregate id, version, topic) as well as its state, so a valid row cannot be moved either.

Stored state = encoded state ‖ MARKER ‖ key id (8 bytes) ‖ signature (64 bytes).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.persistence import Mapper, StoredEvent

from commitments.application import ports

MARKER = b"\x00CKSIG1"
KEY_ID_LEN = 8
SIGNATURE_LEN = 64
TRAILER_LEN = len(MARKER) + KEY_ID_LEN + SIGNATURE_LEN


def key_id(public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KEY_ID_LEN]


def signed_message(originator_id: object, version: int, topic: str, state: bytes) -> bytes:
    return f"{originator_id}\n{version}\n{topic}\n".encode() + state


def split_signed(state: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(state, key id, signature), or None when the row carries no signature trailer."""
    if len(state) < TRAILER_LEN or state[-TRAILER_LEN:-TRAILER_LEN + len(MARKER)] != MARKER:
        return None
    body, trailer = state[:-TRAILER_LEN], state[-TRAILER_LEN + len(MARKER):]
    return body, trailer[:KEY_ID_LEN], trailer[KEY_ID_LEN:]


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


class EventSigner:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)

    @classmethod
    def from_file(cls, path: Path) -> EventSigner:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return cls(key)

    @classmethod
    def generate(cls) -> EventSigner:
        return cls(Ed25519PrivateKey.generate())

    def sign(self, stored: StoredEvent) -> StoredEvent:
        message = signed_message(stored.originator_id, stored.originator_version, stored.topic, stored.state)
        trailer = MARKER + self.key_id + self._key.sign(message)
        return StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                           topic=stored.topic, state=stored.state + trailer)


class SigningMapper(Mapper[Any]):
    """The library's mapper, signing on the way in and stripping the signature on the way out.

    Reading does not verify (that is the audit's job, over the whole log); it only removes the trailer.
    """

    def __init__(self, base: Mapper[Any], signer: ports.EventSigner) -> None:
        super().__init__(transcoder=base.transcoder, compressor=base.compressor, cipher=base.cipher)
        self.signer = signer

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        return self.signer.sign(super().to_stored_event(domain_event))

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        parts = split_signed(stored_event.state)
        if parts is not None:
            stored_event = StoredEvent(originator_id=stored_event.originator_id,
                                       originator_version=stored_event.originator_version,
                                       topic=stored_event.topic, state=parts[0])
        return super().to_domain_event(stored_event)
