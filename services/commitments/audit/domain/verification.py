"""Recomputing the chain from the stored rows: the first change, forged rows, checkpoint mismatches.

One pass in notification order extends the chain by each row (one SHA-256 per row; a run of rows is
compared with the sealed chain value at its end) and compares the chain with every verified checkpoint
as it passes its size. Signatures are checked only where the seal records do not vouch for a row: rows
beyond the latest checkpoint, and rows that differ from what was sealed. A sealed row whose bytes are
unchanged and that a signed checkpoint covers had its signature checked by the sealer, and the verdict
is in the chain.

Trust runs one way: checkpoints (signed) over seal records (in the database, unsigned) over nothing. A
difference between a row and its seal record below a checkpoint the rows still match is a change to the
seal records, not to the log; rows and seal records rewritten together show at the first checkpoint.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from commitments.audit.domain.checkpoint_comparison import CheckpointComparison, Fetch
from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.classify import ChangeClassifier, Locate
from commitments.audit.domain.findings import CHANGES, Finding, Report
from commitments.audit.domain.keys import KeyRing, row_bytes_signed
from commitments.audit.domain.leaves import GENESIS, SIGNED, chain_next, decode_row
from commitments.audit.domain.seals import SealRecords

Batch = list[tuple[int, bytes]]  # (notification id, 0x00 ‖ row bytes)


class LogVerifier(CheckpointComparison):
    def __init__(self, seals: SealRecords, checkpoints: Sequence[SignedCheckpoint], keys: KeyRing,
                 locate: Locate, fetch: Fetch) -> None:
        self.seals, self.keys, self.fetch = seals, keys, fetch
        self.checkpoints = sorted(checkpoints, key=lambda c: c.tree_size)
        self.sizes = sorted({c.tree_size for c in self.checkpoints})
        self.fast = min(len(seals), self.sizes[-1] if self.sizes else 0)  # sealed and attested
        self.unsigned = [p for p, signed in enumerate(seals.signed) if not signed]
        self.classifier = ChangeClassifier(seals, locate)
        self.chain, self.size = GENESIS, 0
        self.nids: list[int] = []
        self.at_size: dict[int, bytes] = {0: GENESIS}  # the chain as recomputed, at each checkpoint's size
        self.checked: set[int] = set()
        self.forged: set[int] = set()
        self._diverged = False
        self.report = Report(sealed=len(seals), checkpoints=len(self.checkpoints),
                             latest_checkpoint=self.sizes[-1] if self.sizes else None)
        if not seals.contiguous:
            self.report.findings.append(Finding("seal_altered", "the seal records have gaps in their positions: "
                                                                "some were deleted"))

    def run(self, batches: Iterable[Batch]) -> Report:
        for batch in batches:
            start = 0
            while start < len(batch):
                boundary = self.sizes[bisect_right(self.sizes, self.size)] if self.size < self.fast else None
                stop = len(batch) if boundary is None else min(len(batch), start + boundary - self.size)
                self._segment(batch[start:stop])
                start = stop
        self.report.log_size = self.size
        self._ended()
        self._compare_checkpoints()
        return self.report

    def _segment(self, rows: Batch) -> None:
        """A run of rows that ends at or before the next checkpoint: chained in one loop if all is well."""
        first, end = self.size, self.size + len(rows)
        if end <= self.fast and bisect_left(self.unsigned, first) == bisect_left(self.unsigned, end):
            chain, sha = self.chain, hashlib.sha256
            for _, preimage in rows:
                chain = sha(chain + preimage).digest()
            if chain == self.seals.chains[end - 1]:
                self.chain, self.size = chain, end
                self.nids += [nid for nid, _ in rows]
                self._passed()
                return
        for nid, preimage in rows:
            self._row(nid, preimage[len(SIGNED):])

    def _passed(self) -> None:
        if self.size in self.at_size or (bisect_left(self.sizes, self.size) < len(self.sizes) and \
                self.sizes[bisect_left(self.sizes, self.size)] == self.size):
            self.at_size[self.size] = self.chain

    def _row(self, nid: int, row: bytes) -> None:
        position = self.size
        if position < self.fast:
            signed = self.seals.signed[position]
            chain = chain_next(self.chain, row, signed)
            if chain == self.seals.chains[position]:
                self._advance(nid, chain)
                if not signed:
                    self._forged(position, nid, row)
                return
        self._slow(nid, row)

    def _slow(self, nid: int, row: bytes) -> None:
        """A row the seal records do not vouch for at this place: check it, and classify the first change."""
        position = self.size
        known = self.classifier.known(nid, row)
        if known is not None and known.position < self.fast:
            signed = known.signed
        else:
            signed = row_bytes_signed(row, self.keys)
            self.checked.add(position)
            self.report.signatures_checked += 1
        chain = chain_next(self.chain, row, signed)
        if not signed:
            self._forged(position, nid, row)
        if position < len(self.seals) and chain != self.seals.chains[position] and not self._diverged:
            self._diverged = True
            self.report.findings.append(self.classifier.classify(position, nid, row))
        self._advance(nid, chain)

    def _advance(self, nid: int, chain: bytes) -> None:
        self.chain = chain
        self.nids.append(nid)
        self.size += 1
        self._passed()

    def _forged(self, position: int, nid: int, row: bytes) -> None:
        if position in self.forged:
            return
        self.forged.add(position)
        try:
            decoded = decode_row(row)
            task_id, version = decoded.originator_id, decoded.originator_version
        except ValueError:
            task_id, version = None, None
        self.report.findings.append(Finding(
            "forged", "the row carries no valid signature of the commitments service", position=position,
            notification_id=nid, task_id=task_id, version=version))

    def _ended(self) -> None:
        size = self.size
        if size < len(self.seals) and not self._diverged:
            self._diverged = True
            seal = self.seals.full()[size]
            self.report.findings.append(Finding(
                "deleted", f"the log ends after {size} events but {len(self.seals)} were sealed: task "
                           f"{seal.originator_id} version {seal.originator_version} and what followed are missing",
                position=size, notification_id=seal.notification_id, task_id=seal.originator_id,
                version=seal.originator_version))


__all__ = ["CHANGES", "LogVerifier"]
