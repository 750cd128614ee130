"""Comparing the recomputed chain with the signed checkpoints, and what a mismatch says.

Trust runs one way: checkpoints (signed) over seal records (in the database, unsigned) over nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.findings import Finding, Report
from commitments.audit.domain.keys import KeyRing, row_bytes_signed
from commitments.audit.domain.seals import SealRecords

Fetch = Callable[[list[int]], dict[int, bytes]]  # row bytes by notification id


class CheckpointComparison:
    """The part of the verifier that runs after the pass over the rows (see verification.py)."""

    seals: SealRecords
    keys: KeyRing
    fetch: Fetch
    checkpoints: list[SignedCheckpoint]
    report: Report
    size: int
    nids: list[int]
    at_size: dict[int, bytes]
    checked: set[int]
    _forged: Callable[[int, int, bytes], None]  # reports a row without a valid signature at a position

    def _compare_checkpoints(self) -> None:
        matched = 0
        for checkpoint in self.checkpoints:
            if self.at_size.get(checkpoint.tree_size) == checkpoint.checkpoint.chain:
                matched = max(matched, checkpoint.tree_size)
                continue
            self._seal_records_changed(matched)
            self.report.findings.append(self._mismatch(checkpoint, matched))
            self._seals_rewritten(matched, checkpoint.tree_size)
            return
        self._seal_records_changed(matched)

    def _seal_records_changed(self, matched: int) -> None:
        """A "change" below a checkpoint that the rows still match was made to the seal records."""
        first = self.report.first_change
        if first is None or first.position is None or first.position >= matched:
            return
        self.report.findings.remove(first)
        self.report.findings.append(Finding(
            "seal_altered", f"the seal record at position {first.position} no longer matches its row, but the rows "
                            f"still match the signed checkpoint of {matched} events: the seal records were changed",
            position=first.position, notification_id=first.notification_id, tree_size=matched))

    def _mismatch(self, checkpoint: SignedCheckpoint, matched: int) -> Finding:
        size, issued = checkpoint.tree_size, checkpoint.checkpoint.issued_at.isoformat()
        if size > self.size:
            return Finding("checkpoint_mismatch", f"the log holds {self.size} events but the checkpoint issued at "
                                                  f"{issued} covers {size}: events were removed", position=self.size,
                           tree_size=size)
        first = self.report.first_change
        position = first.position if first is not None and first.position is not None and first.position < size \
            else None
        return Finding("checkpoint_mismatch", f"the log's first {size} events no longer chain to the checkpoint "
                                              f"issued at {issued}; it matched up to {matched} events",
                       position=position, tree_size=size)

    def _seals_rewritten(self, matched: int, size: int) -> None:
        """The rows differ from a checkpoint although they match the seal records: both were rewritten.

        Check every signature from the last matching checkpoint on, so that edited rows show as forged."""
        first = self.report.first_change
        if first is not None and first.position is not None and first.position < size:
            return
        removed = len(self.seals) < size
        self.report.findings.append(Finding(
            "seal_altered", f"the seal records stop at {len(self.seals)} events but the checkpoint covers {size}: "
                            "seal records were removed" if removed else
                            f"the rows and their seal records were changed together between positions {matched} "
                            f"and {min(size, self.size) - 1}", position=len(self.seals) if removed else matched,
            tree_size=size))
        todo = [p for p in range(matched, len(self.nids)) if p not in self.checked]
        for start in range(0, len(todo), 1000):
            chunk = todo[start:start + 1000]
            rows = self.fetch([self.nids[p] for p in chunk])
            for p in chunk:
                row = rows.get(self.nids[p])
                self.report.signatures_checked += 1
                if row is not None and not row_bytes_signed(row, self.keys):
                    self._forged(p, self.nids[p], row)
