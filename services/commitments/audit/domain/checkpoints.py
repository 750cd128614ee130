"""Signed checkpoints: the sealer's Ed25519 signature over the head of the audit tree.

The signed bytes are "camket.audit.checkpoint/1\\n" followed by the canonical JSON of the body:

    {"event_keys": {"<key id>": "<raw public key>"}, "format": "camket.audit.checkpoint/1",
     "chain": "<hex>", "heads_count": 51, "heads_root": "<hex>", "issued_at": "2025-06-30T09:00:00.000000Z",
     "last_notification_id": 1234, "log": "commitments/commitments.commitments_events",
     "org": "qt-skhcn", "root": "<hex>", "tree_size": 1234}

`event_keys` are the service's event-signing public keys the sealer trusted, so a verifier that holds
only the checkpoint public key learns the event keys from a checkpoint it has verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commitments.audit.domain.encoding import EncodingError, canonical_json, integer, mapping, text, unhex
from commitments.audit.domain.keys import KeyRing, public_from_raw, raw_public
from commitments.domain.signed_records import key_id

FORMAT = "camket.audit.checkpoint/1"
DOMAIN = (FORMAT + "\n").encode()
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_BODY_KEYS = {"chain", "event_keys", "format", "heads_count", "heads_root", "issued_at", "last_notification_id", "log",
              "org", "root", "tree_size"}


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime(_TIME)


def parse_instant(value: object, field: str) -> datetime:
    raw = text(value, field)
    try:
        parsed = datetime.strptime(raw, _TIME).replace(tzinfo=UTC)
    except ValueError:
        raise EncodingError(f"{field}: expected an instant like 2025-06-30T09:00:00.000000Z") from None
    if format_instant(parsed) != raw:
        raise EncodingError(f"{field}: not in canonical form")
    return parsed


@dataclass(frozen=True)
class Checkpoint:
    org: str
    log: str
    tree_size: int
    chain: bytes  # the chain value after the last row covered (32 zero bytes for an empty log)
    root: bytes  # the Merkle root over the chain values
    heads_root: bytes
    heads_count: int
    last_notification_id: int
    issued_at: datetime
    event_keys: dict[bytes, bytes]  # key id → raw Ed25519 public key

    def body(self) -> dict[str, Any]:
        return {"chain": self.chain.hex(),
                "event_keys": {k.hex(): v.hex() for k, v in sorted(self.event_keys.items())}, "format": FORMAT,
                "heads_count": self.heads_count, "heads_root": self.heads_root.hex(),
                "issued_at": format_instant(self.issued_at), "last_notification_id": self.last_notification_id,
                "log": self.log, "org": self.org, "root": self.root.hex(), "tree_size": self.tree_size}

    @classmethod
    def from_body(cls, body: object) -> Checkpoint:
        b = mapping(body, "checkpoint", _BODY_KEYS)
        if b["format"] != FORMAT:
            raise EncodingError(f"checkpoint.format: expected {FORMAT}")
        keys = {unhex(k, "checkpoint.event_keys", 8): unhex(v, "checkpoint.event_keys", 32)
                for k, v in mapping(b["event_keys"], "checkpoint.event_keys", set(b["event_keys"])).items()}
        if any(key_id(public_from_raw(raw)) != kid for kid, raw in keys.items()):
            raise EncodingError("checkpoint.event_keys: a key id does not match its key")
        return cls(org=text(b["org"], "checkpoint.org"), log=text(b["log"], "checkpoint.log"),
                   tree_size=integer(b["tree_size"], "checkpoint.tree_size"),
                   chain=unhex(b["chain"], "checkpoint.chain", 32),
                   root=unhex(b["root"], "checkpoint.root", 32),
                   heads_root=unhex(b["heads_root"], "checkpoint.heads_root", 32),
                   heads_count=integer(b["heads_count"], "checkpoint.heads_count"),
                   last_notification_id=integer(b["last_notification_id"], "checkpoint.last_notification_id"),
                   issued_at=parse_instant(b["issued_at"], "checkpoint.issued_at"), event_keys=keys)

    def signed_bytes(self) -> bytes:
        return DOMAIN + canonical_json(self.body())

    def event_ring(self) -> KeyRing:
        return {kid: public_from_raw(raw) for kid, raw in self.event_keys.items()}


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    key_id: bytes
    signature: bytes

    @property
    def tree_size(self) -> int:
        return self.checkpoint.tree_size

    def verify(self, keys: KeyRing) -> bool:
        key = keys.get(self.key_id)
        if key is None:
            return False
        try:
            key.verify(self.signature, self.checkpoint.signed_bytes())
        except InvalidSignature:
            return False
        return True

    def document(self) -> dict[str, Any]:
        return {"body": self.checkpoint.body(), "key_id": self.key_id.hex(), "signature": self.signature.hex()}

    @classmethod
    def from_document(cls, document: object, field: str = "checkpoint") -> SignedCheckpoint:
        d = mapping(document, field, {"body", "key_id", "signature"})
        return cls(checkpoint=Checkpoint.from_body(d["body"]), key_id=unhex(d["key_id"], f"{field}.key_id", 8),
                   signature=unhex(d["signature"], f"{field}.signature", 64))


class CheckpointSigner:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)

    @classmethod
    def generate(cls) -> CheckpointSigner:
        return cls(Ed25519PrivateKey.generate())

    def sign(self, checkpoint: Checkpoint) -> SignedCheckpoint:
        return SignedCheckpoint(checkpoint, self.key_id, self._key.sign(checkpoint.signed_bytes()))

    def ring(self) -> KeyRing:
        return {self.key_id: self.public_key}

    @property
    def raw_public(self) -> bytes:
        return raw_public(self.public_key)
