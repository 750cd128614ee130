"""C2SP signed notes with Ed25519 (https://c2sp.org/signed-note): signing, opening, verifier keys.

    note      = text ending in "\n", a blank line, then one line per signature
    signature = "— " name " " base64(key id (4 bytes) ‖ signature) "\n"      (— is U+2014)
    key id    = SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[:4]
    verifier  = name "+" hex(key id) "+" base64(0x01 ‖ public key)

The same shape carries witness cosignatures (type 0x04, see `cosign.py`); a reader keeps the lines it
cannot verify untouched, so a note can gather cosignatures without losing them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01
DASH = "\u2014 "
MAX_NOTE = 1 << 20  # a checkpoint is a few hundred bytes; refuse anything large before parsing it


class NoteError(ValueError):
    """The text is not a well-formed signed note, or no trusted signature on it verifies."""


def key_hash(name: str, kind: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


def valid_name(name: str) -> bool:
    return bool(name) and all(c not in name for c in " +\n\u2014") and name.isprintable()


def raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    value: bytes  # what follows the key id in the line (the signature, with a timestamp for cosignatures)

    def line(self) -> str:
        return f"{DASH}{self.name} {base64.b64encode(self.key_id + self.value).decode()}\n"


@dataclass(frozen=True)
class Verifier:
    """A public key a reader trusts for one name (a log's key: type 0x01)."""

    name: str
    public: Ed25519PublicKey
    kind: int = ED25519

    @property
    def key_id(self) -> bytes:
        return key_hash(self.name, self.kind, raw(self.public))

    def vkey(self) -> str:
        payload = base64.b64encode(bytes([self.kind]) + raw(self.public)).decode()
        return f"{self.name}+{self.key_id.hex()}+{payload}"

    def verify(self, body: bytes, signature: Signature) -> bool:
        if signature.name != self.name or signature.key_id != self.key_id or len(signature.value) != 64:
            return False
        try:
            self.public.verify(signature.value, body)
        except InvalidSignature:
            return False
        return True

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        """A verifier key `name+hex key id+base64(type ‖ key)`; NoteError if it is malformed or inconsistent."""
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3 or not valid_name(parts[0]):
            raise NoteError("verifier key: expected name+keyid+key")
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise NoteError("verifier key: the key is not base64") from None
        if len(blob) != 33 or blob[0] not in (ED25519, 0x04):
            raise NoteError("verifier key: expected an Ed25519 key (type 0x01 or 0x04)")
        verifier = cls(parts[0], Ed25519PublicKey.from_public_bytes(blob[1:]), blob[0])
        if verifier.key_id.hex() != parts[1]:
            raise NoteError("verifier key: the key id does not match the name and key")
        return verifier


class Signer:
    def __init__(self, name: str, key: Ed25519PrivateKey) -> None:
        if not valid_name(name):
            raise ValueError(f"not a valid note key name: {name!r}")
        self.name, self._key = name, key
        self.verifier = Verifier(name, key.public_key())

    def sign(self, body: str) -> str:
        """The signed note of `body` (text ending in a newline)."""
        data = body.encode()
        signature = Signature(self.name, self.verifier.key_id, self._key.sign(data))
        return body + "\n" + signature.line()


@dataclass(frozen=True)
class Note:
    body: str
    signatures: tuple[Signature, ...]

    def text(self) -> str:
        return self.body + "\n" + "".join(s.line() for s in self.signatures)

    def with_lines(self, lines: list[Signature]) -> Note:
        known = set(self.signatures)
        return Note(self.body, self.signatures + tuple(s for s in lines if s not in known))


def parse_signature_line(line: str) -> Signature:
    if not line.startswith(DASH):
        raise NoteError("signature line: must start with '— '")
    name, _, blob = line[len(DASH):].partition(" ")
    try:
        data = base64.b64decode(blob, validate=True)
    except binascii.Error:
        raise NoteError("signature line: not base64") from None
    if not valid_name(name) or len(data) < 5:
        raise NoteError("signature line: malformed")
    return Signature(name, data[:4], data[4:])


def parse(text: str) -> Note:
    """Splits a note into its body and signature lines, without checking any signature."""
    if len(text) > MAX_NOTE or not text.endswith("\n"):
        raise NoteError("note: too large or not ending in a newline")
    body, sep, sigs = text.rpartition("\n\n")
    if not sep or not body:
        raise NoteError("note: no blank line before the signatures")
    lines = sigs.split("\n")[:-1]
    if not lines:
        raise NoteError("note: no signature")
    return Note(body + "\n", tuple(parse_signature_line(line) for line in lines))


def open_note(text: str, verifiers: list[Verifier]) -> Note:
    """The note, if at least one signature from a trusted key verifies; NoteError otherwise."""
    note = parse(text)
    data = note.body.encode()
    if not any(v.verify(data, s) for s in note.signatures for v in verifiers):
        raise NoteError("note: no trusted signature verifies")
    return note
