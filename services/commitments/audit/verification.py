"""Recomputing the audit tree from the stored rows: the first change, forged rows, checkpoint mismatches.

One pass in notification order hashes each row (the hot path is one SHA-256 and a comparison with the
sealed leaf) and builds the tree as the log stands now; its roots are then compared with every verified
checkpoint. Signatures are checked only where the seal records do not vouch for a row: rows beyond the
latest checkpoint, and rows that differ from what was sealed. A sealed row whose bytes are unchanged and
that a signed checkpoint covers had its signature checked by the sealer, and the verdict is in its leaf.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from uuid import UUID

from commitments.audit.checkpoints import SignedCheckpoint
from commitments.audit.findings import Finding, Report
from commitments.audit.keys import KeyRing, row_bytes_signed
from commitments.audit.leaves import SIGNED, UNSIGNED, decode_row, leaf_hash
from commitments.audit.merkle import MerkleTree
from commitments.audit.store import Seal

Locate = Callable[[UUID, int], "int | None"]  # where a task version now stands (notification id), if anywhere
Fetch = Callable[[list[int]], dict[int, bytes]]  # row bytes by notification id


class TreeVerifier:
    def __init__(self, seals: Sequence[Seal], checkpoints: Sequence[SignedCheckpoint], keys: KeyRing,
                 locate: Locate, fetch: Fetch) -> None:
        self.seals = seals
        self.checkpoints = sorted(checkpoints, key=lambda c: c.tree_size)
        self.attested = self.checkpoints[-1].tree_size if self.checkpoints else 0
        self.keys, self.locate, self.fetch = keys, locate, fetch
        self.leaves: list[bytes] = []
        self.nids: list[int] = []
        self.checked: set[int] = set()
        self.forged: set[int] = set()
        self.report = Report(sealed=len(seals), checkpoints=len(self.checkpoints),
                             latest_checkpoint=self.attested if self.checkpoints else None)
        self._by_nid: dict[int, Seal] | None = None
        self._diverged = False

    def run(self, rows: Iterable[tuple[int, bytes]]) -> Report:
        self._hash_all(rows)
        self._ended(len(self.leaves))
        self._compare_checkpoints()
        return self.report

    def _hash_all(self, rows: Iterable[tuple[int, bytes]]) -> None:
        sha = hashlib.sha256
        expected = [s.leaf for s in self.seals]
        prefixes = [SIGNED if s.signed else UNSIGNED for s in self.seals]
        unsigned = {s.position for s in self.seals if not s.signed}
        fast = min(len(expected), self.attested)
        leaves, nids = self.leaves, self.nids
        position = 0
        for nid, blob in rows:
            if position < fast:
                leaf = sha(prefixes[position] + blob).digest()
                if leaf == expected[position]:
                    leaves.append(leaf)
                    nids.append(nid)
                    if unsigned and position in unsigned:
                        self._forged(position, nid, blob)
                    position += 1
                    continue
            self._slow(position, nid, blob)
            position += 1

    def _slow(self, position: int, nid: int, blob: bytes) -> None:
        """A row the seal records do not vouch for at this place: check it, and classify the first change."""
        known = self._known(nid, blob)
        if known is not None and known.position < self.attested:
            signed, leaf = known.signed, known.leaf
        else:
            signed = row_bytes_signed(blob, self.keys)
            leaf = leaf_hash(blob, signed)
            self.checked.add(position)
            self.report.signatures_checked += 1
        self.leaves.append(leaf)
        self.nids.append(nid)
        if not signed:
            self._forged(position, nid, blob)
        seal = self.seals[position] if position < len(self.seals) else None
        if seal is not None and leaf != seal.leaf and not self._diverged:
            self._diverged = True
            self.report.findings.append(self._classify(position, nid, blob, seal))

    def _known(self, nid: int, blob: bytes) -> Seal | None:
        if self._by_nid is None:
            self._by_nid = {s.notification_id: s for s in self.seals}
        seal = self._by_nid.get(nid)
        return seal if seal is not None and leaf_hash(blob, seal.signed) == seal.leaf else None

    def _classify(self, position: int, nid: int, blob: bytes, seal: Seal) -> Finding:
        sealed = f"task {seal.originator_id} version {seal.originator_version} (notification id {seal.notification_id})"
        try:
            row = decode_row(blob)
        except ValueError:
            return Finding("edited", f"the row here is no longer a stored event; {sealed} was sealed here",
                           position=position, notification_id=nid)
        kind, detail, subject = self._what_happened(nid, row.originator_id, row.originator_version, seal, sealed)
        task_id, version = (row.originator_id, row.originator_version) if subject == "row" else (
            seal.originator_id, seal.originator_version)
        return Finding(kind, detail, position=position, notification_id=nid, task_id=task_id, version=version)

    def _what_happened(self, nid: int, task_id: UUID, version: int, seal: Seal, sealed: str) -> tuple[str, str, str]:
        """(kind, detail, whose identity to report: the row found here or the event sealed here)."""
        if nid == seal.notification_id:
            if (task_id, version) == (seal.originator_id, seal.originator_version):
                return "edited", f"{sealed} was changed after it was sealed", "row"
            moved = self.locate(seal.originator_id, seal.originator_version)
            if moved is not None:
                return "reordered", f"{sealed} now stands at notification id {moved}; another event took its place", \
                    "row"
            return "edited", f"{sealed} was replaced by another event", "row"
        if nid < seal.notification_id:
            if (self._by_nid or {}).get(nid) is not None or self.locate_sealed(task_id, version):
                return "reordered", f"an event sealed elsewhere now stands before {sealed}", "row"
            return "inserted", f"a row that was not in the log when it was sealed stands before {sealed}", "row"
        moved = self.locate(seal.originator_id, seal.originator_version)
        if moved is not None:
            return "reordered", f"{sealed} now stands at notification id {moved}", "seal"
        return "deleted", f"{sealed} is no longer in the log", "seal"

    def locate_sealed(self, originator_id: UUID, version: int) -> bool:
        return any(s.originator_id == originator_id and s.originator_version == version for s in self.seals)

    def _forged(self, position: int, nid: int, blob: bytes) -> None:
        if position in self.forged:
            return
        self.forged.add(position)
        try:
            row = decode_row(blob)
            task_id, version = row.originator_id, row.originator_version
        except ValueError:
            task_id, version = None, None
        self.report.findings.append(Finding(
            "forged", "the row carries no valid signature of the commitments service", position=position,
            notification_id=nid, task_id=task_id, version=version))

    def _ended(self, size: int) -> None:
        self.report.log_size = size
        if size < len(self.seals) and not self._diverged:
            self._diverged = True
            seal = self.seals[size]
            self.report.findings.append(Finding(
                "deleted", f"the log ends after {size} events but {len(self.seals)} were sealed: task "
                           f"{seal.originator_id} version {seal.originator_version} and what followed are missing",
                position=size, notification_id=seal.notification_id, task_id=seal.originator_id,
                version=seal.originator_version))

    def _compare_checkpoints(self) -> None:
        tree = MerkleTree(self.leaves)
        matched = 0
        for checkpoint in self.checkpoints:
            size = checkpoint.tree_size
            if size <= tree.size and tree.root(size) == checkpoint.checkpoint.root:
                matched = size
                continue
            self.report.findings.append(self._mismatch(checkpoint, tree.size, matched))
            self._seals_rewritten(matched, size)
            return

    def _mismatch(self, checkpoint: SignedCheckpoint, log_size: int, matched: int) -> Finding:
        size, issued = checkpoint.tree_size, checkpoint.checkpoint.issued_at.isoformat()
        if size > log_size:
            return Finding("checkpoint_mismatch", f"the log holds {log_size} events but the checkpoint issued at "
                                                  f"{issued} covers {size}: events were removed", position=log_size,
                           tree_size=size)
        first = self.report.first_change
        position = first.position if first is not None and first.position is not None and first.position < size \
            else None
        return Finding("checkpoint_mismatch", f"the log's first {size} events no longer hash to the checkpoint issued "
                                              f"at {issued}; it matched up to {matched} events", position=position,
                       tree_size=size)

    def _seals_rewritten(self, matched: int, size: int) -> None:
        """The rows differ from a checkpoint although they match the seal records: both were rewritten.

        Check every signature from the last matching checkpoint on, so that edited rows show as forged."""
        first = self.report.first_change
        if first is not None and first.position is not None and first.position < size:
            return
        if len(self.seals) < size:
            self.report.findings.append(Finding(
                "seal_altered", f"the seal records stop at {len(self.seals)} events but the checkpoint covers {size}: "
                                "seal records were removed", position=len(self.seals), tree_size=size))
        else:
            self.report.findings.append(Finding(
                "seal_altered", f"the rows and their seal records were changed together between positions "
                                f"{matched} and {min(size, len(self.leaves)) - 1}", position=matched, tree_size=size))
        todo = [p for p in range(matched, len(self.nids)) if p not in self.checked]
        for start in range(0, len(todo), 1000):
            chunk = todo[start:start + 1000]
            rows = self.fetch([self.nids[p] for p in chunk])
            for p in chunk:
                blob = rows.get(self.nids[p])
                self.report.signatures_checked += 1
                if blob is not None and not row_bytes_signed(blob, self.keys):
                    self._forged(p, self.nids[p], blob)
