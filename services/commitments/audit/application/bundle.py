"""Audit bundles: a task's, a unit's or the whole program's stored events, with their proofs against the
latest signed checkpoint, the earlier checkpoints with consistency proofs, and each task's head. The
format is documented in docs/audit.md; `bundle_verify.py` checks it offline with the public key alone.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commitments.audit.application.ports import AuditStore, Conn
from commitments.audit.domain.bundle_format import FORMAT, Scope
from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.errors import ExportRefused, NotRecorded
from commitments.audit.domain.keys import KeyRing
from commitments.audit.domain.leaves import GENESIS, LogRow, chain_next, entry_leaf, sorted_heads
from commitments.audit.domain.merkle import MerkleTree
from commitments.audit.domain.seals import Seal
from commitments.domain.signed_records import split_signed


def _previous(seals: list[Seal], position: int) -> bytes:
    return seals[position - 1].chain if position else GENESIS


def event_document(seal: Seal, previous: bytes, row: LogRow, proof: list[bytes]) -> dict[str, Any]:
    parts = split_signed(row.state)
    body, signature = (row.state, None) if parts is None else (parts[0], {"key_id": parts[1].hex(),
                                                                          "value": parts[2].hex()})
    try:
        text: dict[str, str] = {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        text = {"body_hex": body.hex()}
    return {"position": seal.position, "notification_id": row.notification_id,
            "originator_id": str(row.originator_id), "originator_version": row.originator_version,
            "topic": row.topic, **text, "signature": signature, "signed": seal.signed, "previous": previous.hex(),
            "proof": [h.hex() for h in proof]}


class BundleExporter:
    def __init__(self, store: AuditStore, checkpoint_keys: KeyRing) -> None:
        self.store, self.keys = store, checkpoint_keys

    def export(self, conn: Conn, scope: Scope) -> dict[str, Any]:
        """Call inside a REPEATABLE READ transaction, so that rows, seals and checkpoints agree."""
        checkpoints = [c for c in (s.parse() for s in self.store.checkpoints(conn)) if c and c.verify(self.keys)]
        if not checkpoints:
            raise ExportRefused("no signed checkpoint yet: is `camket audit sealer` running?")
        main = checkpoints[-1]
        seals = self.store.seals(conn, stop=main.tree_size)
        tree = MerkleTree([entry_leaf(s.chain) for s in seals])
        if tree.size != main.tree_size or tree.root() != main.checkpoint.root or (
                seals and seals[-1].chain != main.checkpoint.chain):
            raise ExportRefused("the seal records no longer match the latest checkpoint: run `camket audit verify`")
        chosen = self._select(conn, scope, seals)
        rows = self._rows(conn, chosen, seals)
        proofs = scope.kind != "program"  # a whole-log bundle is checked by rebuilding the tree
        return {"format": FORMAT, "scope": scope.document(), "checkpoint": main.document(),
                "history": [{"checkpoint": c.document(),
                             "consistency": [h.hex() for h in tree.consistency_proof(c.tree_size, main.tree_size)]}
                            for c in checkpoints[:-1] if 0 < c.tree_size < main.tree_size],
                "events": [event_document(s, _previous(seals, s.position), rows[s.notification_id],
                                          tree.inclusion_proof(s.position, tree.size) if proofs else [])
                           for s in chosen],
                "heads": self._heads(conn, main, {s.originator_id for s in chosen}) if proofs else []}

    def _select(self, conn: Conn, scope: Scope, seals: list[Seal]) -> list[Seal]:
        if scope.kind == "program":
            return seals
        if scope.kind == "task":
            tasks: set[UUID | None] = {scope.task_id}
        else:
            tasks = set(self.store.tasks_of_unit(conn, scope.unit or "", len(seals)))
        chosen = [s for s in seals if s.originator_id in tasks]
        if not chosen:
            raise NotRecorded(f"nothing recorded for {scope.document()} up to the latest checkpoint", "scope")
        return chosen

    def _rows(self, conn: Conn, chosen: list[Seal], seals: list[Seal]) -> dict[int, LogRow]:
        rows: dict[int, LogRow] = {}
        for start in range(0, len(chosen), 5000):
            rows |= self.store.rows_by_id(conn, [s.notification_id for s in chosen[start:start + 5000]])
        for seal in chosen:
            row = rows.get(seal.notification_id)
            if row is None or chain_next(_previous(seals, seal.position), row.encode(), seal.signed) != seal.chain:
                raise ExportRefused(f"the log changed at position {seal.position} since it was sealed: "
                                    "run `camket audit verify`")
        return rows

    def _heads(self, conn: Conn, main: SignedCheckpoint, tasks: set[UUID]) -> list[dict[str, Any]]:
        heads = sorted_heads(self.store.heads(conn, main.tree_size))
        tree = MerkleTree([h.leaf() for h in heads])
        if tree.root() != main.checkpoint.heads_root:
            raise ExportRefused("the seal records no longer match the latest checkpoint's task heads")
        return [{"originator_id": str(h.originator_id), "version": h.version, "position": h.position, "index": i,
                 "proof": [p.hex() for p in tree.inclusion_proof(i, tree.size)]}
                for i, h in enumerate(heads) if h.originator_id in tasks]
