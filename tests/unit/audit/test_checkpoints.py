"""Signed checkpoints: the signature covers every field; parsing is strict; the sources are reconciled."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from commitments.audit.domain.checkpoints import Checkpoint, CheckpointSigner, SignedCheckpoint
from commitments.audit.domain.encoding import EncodingError, canonical_json
from commitments.audit.domain.seals import StoredCheckpoint
from commitments.audit.domain.sources import merge_checkpoints
from commitments.persistence.signing import EventSigner

EVENTS = EventSigner.generate()


def checkpoint(size: int = 12, root: bytes = b"\xab" * 32) -> Checkpoint:
    return Checkpoint(org="qt-skhcn", log="commitments/t.commitments_events", tree_size=size, chain=b"\x22" * 32,
                      root=root, heads_root=b"\x33" * 32, heads_count=3, last_notification_id=size + 2,
                      issued_at=datetime(2025, 6, 30, 9, 0, 0, 123456, tzinfo=UTC),
                      event_keys={EVENTS.key_id: EVENTS.public_key.public_bytes_raw()})


def test_a_checkpoint_round_trips_and_verifies_only_with_its_key() -> None:
    signer = CheckpointSigner.generate()
    signed = signer.sign(checkpoint())
    again = SignedCheckpoint.from_document(json.loads(canonical_json(signed.document())))
    assert again == signed and again.verify(signer.ring())
    assert not again.verify(CheckpointSigner.generate().ring())
    assert again.checkpoint.event_ring().keys() == {EVENTS.key_id}
    assert signed.document()["body"]["issued_at"] == "2025-06-30T09:00:00.123456Z"


@pytest.mark.parametrize("field", ["tree_size", "chain", "root", "heads_root", "heads_count",
                                   "last_notification_id", "issued_at", "org", "log"])
def test_the_signature_covers_every_field(field: str) -> None:
    signer = CheckpointSigner.generate()
    signed = signer.sign(checkpoint())
    changed = {"tree_size": 13, "heads_count": 4, "last_notification_id": 1, "org": "qt-khac", "log": "x",
               "issued_at": datetime(2025, 7, 1, tzinfo=UTC)}.get(field, b"\x44" * 32)
    forged = replace(signed, checkpoint=replace(signed.checkpoint, **{field: changed}))
    assert not forged.verify(signer.ring())


@pytest.mark.parametrize("change", [
    lambda d: d["body"].update(root=d["body"]["root"].upper()),  # same bytes, other spelling
    lambda d: d["body"].update(tree_size=True),
    lambda d: d["body"].update(issued_at="2025-06-30T09:00:00Z"),
    lambda d: d["body"].update(extra=1),
    lambda d: d.update(signature=d["signature"][:-2]),
    lambda d: d["body"]["event_keys"].update({"00" * 8: d["body"]["event_keys"].popitem()[1]}),
])
def test_parsing_refuses_anything_but_the_one_form(change: object) -> None:
    document = CheckpointSigner.generate().sign(checkpoint()).document()
    change(document)  # type: ignore[operator]
    with pytest.raises(EncodingError):
        SignedCheckpoint.from_document(document)


def test_sources_are_reconciled_into_findings() -> None:
    signer, stranger = CheckpointSigner.generate(), CheckpointSigner.generate()
    stored = [StoredCheckpoint(12, canonical_json(signer.sign(checkpoint(12)).document()).decode()),
              StoredCheckpoint(20, canonical_json(stranger.sign(checkpoint(20)).document()).decode()),
              StoredCheckpoint(30, "{not json")]
    published = [signer.sign(checkpoint(12)), signer.sign(checkpoint(40)), signer.sign(checkpoint(12, b"\x99" * 32))]
    valid, findings = merge_checkpoints(stored, published, signer.ring(), "commitments/t.commitments_events")
    assert [c.tree_size for c in valid] == [12, 12, 40]
    assert sorted((f.kind, f.tree_size) for f in findings) == [
        ("checkpoint_conflict", 12), ("checkpoint_invalid", 20), ("checkpoint_invalid", 30),
        ("checkpoint_missing", 12), ("checkpoint_missing", 40)]
