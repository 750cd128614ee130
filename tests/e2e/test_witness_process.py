"""`camket witness` as a process: it cosigns a first checkpoint, and after a crash (SIGKILL right after it
answered) it still holds the size it cosigned: a stale submission gets 409 with that size, a consistent
one a new cosignature."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx

from commitments.audit.adapters.key_files import load_private_key
from commitments.audit.adapters.tlog.witness_client import request_body
from commitments.audit.domain.merkle import MerkleTree
from commitments.audit.domain.tlog.checkpoint import TreeHead
from commitments.audit.domain.tlog.cosign import Cosigner, cosignature_valid
from commitments.audit.domain.tlog.note import Signer, parse, parse_signature_line
from shared.auth.devkeys import ensure_key_pair
from tests.e2e.support import ServiceProcess, free_port

ORIGIN = "camket.qt-skhcn/events"
TREE = MerkleTree([hashlib.sha256(bytes([0, i])).digest() for i in range(9)])


def test_the_witness_survives_a_crash_with_the_size_it_cosigned(tmp_path: Path) -> None:
    log = Signer(ORIGIN, load_private_key(ensure_key_pair(tmp_path / "keys", "checkpoint")))
    witness_key = ensure_key_pair(tmp_path / "keys", "witness")
    cosigner = Cosigner("thanh-tra.qt/witness", load_private_key(witness_key))
    port = free_port()
    args = ["witness", "--name", cosigner.name, "--key", str(witness_key), "--state", str(tmp_path / "w.json"),
            "--log", log.verifier.vkey(), "--port", str(port)]
    process = ServiceProcess(args, {"CAMKET_STATE_DIR": str(tmp_path)}, port=port)
    process.log = tmp_path / "witness.log"  # the default name, built from the arguments, holds slashes
    process.start()
    try:
        first = log.sign(TreeHead(ORIGIN, 5, TREE.root(5)).body())
        answer = httpx.post(f"{process.url}/add-checkpoint", content=request_body(0, [], first))
        assert answer.status_code == 200, answer.text
        line = parse_signature_line(answer.text.rstrip("\n"))
        assert cosignature_valid(cosigner.verifier, parse(first).body, line)
        process.kill()
        process.start()
        grown = log.sign(TreeHead(ORIGIN, 9, TREE.root(9)).body())
        stale = httpx.post(f"{process.url}/add-checkpoint", content=request_body(0, [], grown))
        assert (stale.status_code, stale.text) == (409, "5\n")
        assert stale.headers["content-type"].startswith("text/x.tlog.size")
        proof = TREE.consistency_proof(5, 9)
        assert httpx.post(f"{process.url}/add-checkpoint", content=request_body(5, proof, grown)).status_code == 200
    finally:
        process.stop()
