"""The tlog-witness decision, case by case as C2SP tlog-witness states it."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commitments.audit.adapters.tlog.witness_client import request_body
from commitments.audit.domain.merkle import MerkleTree
from commitments.audit.domain.tlog.checkpoint import TreeHead
from commitments.audit.domain.tlog.cosign import Cosigner, cosignature_valid
from commitments.audit.domain.tlog.note import Signer, parse, parse_signature_line
from commitments.audit.domain.tlog.witness_state import SIZE_TYPE, Witness

ORIGIN = "camket.qt-skhcn/events"
LEAVES = [hashlib.sha256(bytes([0, i])).digest() for i in range(20)]
TREE = MerkleTree(LEAVES)


@pytest.fixture
def log() -> Signer:
    return Signer(ORIGIN, Ed25519PrivateKey.generate())


def checkpoint(log: Signer, size: int, root: bytes | None = None) -> str:
    return log.sign(TreeHead(ORIGIN, size, TREE.root(size) if root is None else root).body())


def witness_of(log: Signer) -> tuple[Witness, list[dict[str, TreeHead]]]:
    saved: list[dict[str, TreeHead]] = []
    return Witness(Cosigner("w.example/1", Ed25519PrivateKey.generate()), {ORIGIN: [log.verifier]}, {},
                   lambda: 1_760_000_000), saved


def test_cosigns_a_first_checkpoint_and_then_only_consistent_growth(log: Signer) -> None:
    witness, saved = witness_of(log)
    first = witness.add_checkpoint(request_body(0, [], checkpoint(log, 7)), saved.append)
    assert first.status == 200 and saved[-1][ORIGIN].size == 7
    note = parse(checkpoint(log, 7))
    assert cosignature_valid(witness.cosigner.verifier, note.body, parse_signature_line(first.body.rstrip("\n")))
    grown = witness.add_checkpoint(request_body(7, TREE.consistency_proof(7, 20), checkpoint(log, 20)),
                                   saved.append)
    assert grown.status == 200 and witness.state[ORIGIN].size == 20
    same = witness.add_checkpoint(request_body(20, [], checkpoint(log, 20)), saved.append)
    assert same.status == 200


def test_stale_forked_or_unproven_checkpoints_are_refused_and_nothing_is_recorded(log: Signer) -> None:
    witness, saved = witness_of(log)
    assert witness.add_checkpoint(request_body(0, [], checkpoint(log, 10)), saved.append).status == 200
    stale = witness.add_checkpoint(request_body(0, [], checkpoint(log, 12)), saved.append)
    assert (stale.status, stale.body, stale.content_type) == (409, "10\n", SIZE_TYPE)
    fork = witness.add_checkpoint(request_body(10, [], checkpoint(log, 10, bytes(32))), saved.append)
    assert fork.status == 409
    bad_proof = witness.add_checkpoint(request_body(10, TREE.consistency_proof(9, 12), checkpoint(log, 12)),
                                       saved.append)
    assert bad_proof.status == 422
    other_log = Signer(ORIGIN, Ed25519PrivateKey.generate())
    assert witness.add_checkpoint(request_body(10, [], checkpoint(other_log, 10)), saved.append).status == 403
    unknown = Signer("other.example/log", Ed25519PrivateKey.generate())
    assert witness.add_checkpoint(request_body(0, [], unknown.sign(TreeHead("other.example/log", 1,
                                                                             bytes(32)).body())),
                                  saved.append).status == 404
    assert witness.add_checkpoint(request_body(12, [], checkpoint(log, 11)), saved.append).status == 400
    assert witness.add_checkpoint("old 01\n\n" + checkpoint(log, 11), saved.append).status == 400
    assert witness.add_checkpoint(request_body(0, [bytes(32)], checkpoint(log, 11)), saved.append).status == 409
    assert len(saved) == 1 and witness.state[ORIGIN].size == 10
