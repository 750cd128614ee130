"""C2SP tlog-cosignature/v1 with Ed25519 (https://c2sp.org/tlog-cosignature).

    key id    = SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key)[:4]
    signed    = "cosignature/v1\n" "time <POSIX seconds>\n" ‖ checkpoint body
    line      = "— " name " " base64(key id ‖ timestamp (uint64 BE) ‖ Ed25519 signature) "\n"
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commitments.audit.domain.tlog.note import Note, Signature, Verifier

COSIGNATURE = 0x04
_TIME = struct.Struct(">Q")


def cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


class Cosigner:
    def __init__(self, name: str, key: Ed25519PrivateKey) -> None:
        self.name, self._key = name, key
        self.verifier = Verifier(name, key.public_key(), COSIGNATURE)

    def cosign(self, body: str, timestamp: int) -> Signature:
        signature = self._key.sign(cosigned_message(body, timestamp))
        return Signature(self.name, self.verifier.key_id, _TIME.pack(timestamp) + signature)


def cosignature_valid(verifier: Verifier, body: str, signature: Signature) -> bool:
    if (verifier.kind != COSIGNATURE or signature.name != verifier.name or signature.key_id != verifier.key_id
            or len(signature.value) != 8 + 64):
        return False
    (timestamp,) = _TIME.unpack(signature.value[:8])
    if timestamp >= 1 << 63:
        return False
    try:
        verifier.public.verify(signature.value[8:], cosigned_message(body, timestamp))
    except InvalidSignature:
        return False
    return True


def cosigners(note: Note, witnesses: Iterable[Verifier]) -> set[str]:
    """The names of the trusted witnesses whose cosignature on the note verifies."""
    return {w.name for w in witnesses for s in note.signatures if cosignature_valid(w, note.body, s)}
