"""Every stored event carries the commitments service's Ed25519 signature.

The signing key lives outside the database (a file or a secret), so a row that someone inserts or
edits directly in PostgreSQL cannot carry a valid signature: the Inspectorate's verification
(`camket audit verify`) reports it as forged wherever it stands. The record format (what is signed, the
trailer) is the domain's: `commitments.domain.signed_records`; this module holds the key and the mapper.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Mapper, StoredEvent

from commitments.application import ports
from commitments.domain.signed_records import key_id, signed, unsigned


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
        return signed(stored, self._key, self.key_id)


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
        return super().to_domain_event(unsigned(stored_event))
