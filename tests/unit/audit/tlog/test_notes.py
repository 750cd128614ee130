"""Signed notes, checkpoints, cosignatures and entries in their one canonical form."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import StoredEvent

from commitments.audit.domain.leaves import LogRow
from commitments.audit.domain.tlog.checkpoint import TreeHead, parse_body
from commitments.audit.domain.tlog.cosign import Cosigner, cosigners
from commitments.audit.domain.tlog.entry import Entry
from commitments.audit.domain.tlog.note import NoteError, Signer, Verifier, key_hash, open_note, parse, raw
from commitments.persistence.signing import EventSigner

ORIGIN = "camket.qt-skhcn/events"


def test_a_signed_checkpoint_opens_with_the_published_verifier_key_only() -> None:
    key = Ed25519PrivateKey.generate()
    signer = Signer(ORIGIN, key)
    head = TreeHead(ORIGIN, 42, hashlib.sha256(b"x").digest())
    text = signer.sign(head.body())
    assert text.startswith(f"{ORIGIN}\n42\n{base64.b64encode(head.root).decode()}\n\n\u2014 {ORIGIN} ")
    vkey = signer.verifier.vkey()
    name, kid, blob = vkey.split("+", 2)
    assert name == ORIGIN and bytes.fromhex(kid) == key_hash(ORIGIN, 1, raw(key.public_key()))
    assert base64.b64decode(blob) == b"\x01" + raw(key.public_key())
    assert parse_body(open_note(text, [Verifier.parse(vkey)]).body) == head
    with pytest.raises(NoteError):
        open_note(text, [Signer(ORIGIN, Ed25519PrivateKey.generate()).verifier])
    flipped = text.replace("\n42\n", "\n43\n")
    with pytest.raises(NoteError):
        open_note(flipped, [Verifier.parse(vkey)])


@pytest.mark.parametrize("body", ["o\n01\n" + base64.b64encode(bytes(32)).decode() + "\n", "o\n1\nAAAA\n",
                                  "o\n1\n" + base64.b64encode(bytes(32)).decode() + "\next\n", "\n1\nx\n"])
def test_checkpoint_bodies_outside_the_format_are_refused(body: str) -> None:
    with pytest.raises(NoteError):
        parse_body(body)


def test_cosignatures_verify_for_their_witness_and_survive_reparsing() -> None:
    log = Signer(ORIGIN, Ed25519PrivateKey.generate())
    witness = Cosigner("thanh-tra.example/w1", Ed25519PrivateKey.generate())
    body = TreeHead(ORIGIN, 3, bytes(32)).body()
    note = parse(log.sign(body)).with_lines([witness.cosign(body, 1_760_000_000)])
    again = parse(note.text())
    assert cosigners(again, [witness.verifier]) == {"thanh-tra.example/w1"}
    assert cosigners(again, [Cosigner("thanh-tra.example/w1", Ed25519PrivateKey.generate()).verifier]) == set()
    assert Verifier.parse(witness.verifier.vkey()).kind == 0x04
    other = TreeHead(ORIGIN, 4, bytes(32)).body()
    assert cosigners(parse(other + "\n" + note.signatures[1].line()), [witness.verifier]) == set()


def test_entries_round_trip_and_any_changed_byte_is_refused_or_differs() -> None:
    signer = EventSigner.generate()
    stored = signer.sign(StoredEvent(originator_id=uuid.uuid4(), originator_version=2, topic="a:B", state=b"{}"))
    row = LogRow(7, stored.originator_id, 2, stored.topic, stored.state)
    entry = Entry.of(row, True, "ql-cndmst", 2025)
    data = entry.encode()
    assert Entry.decode(data) == entry and entry.content == hashlib.sha256(b"{}").digest()
    assert entry.signature is not None
    for i in range(len(data)):
        changed = data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]
        with contextlib.suppress(ValueError):
            assert Entry.decode(changed) != entry
    unsigned = Entry.of(LogRow(8, row.originator_id, 3, "a:B", b"{}"), False, "")
    assert Entry.decode(unsigned.encode()).signature is None
