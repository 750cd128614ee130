"""`camket audit verify`, for the transparency log: rebuilds every entry from the event rows, recomputes the
tree's root at each signed checkpoint, and counts the witnesses' cosignatures on the latest one.

What it trusts of the stored entries is only what the sealer alone could know (its signature verdict and the
unit tag, both covered by the chain and the index); everything else is recomputed from the rows. A history
rewritten together with the log (rows edited, log rebuilt, checkpoints re-signed) passes the first two
checks and fails the last: the witnesses keep their own record and refuse to cosign it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from commitments.audit.application.ports import AuditStore, Conn, TlogStore
from commitments.audit.application.tlog.reading import checkpoint_note
from commitments.audit.domain.tlog.checkpoint import TreeHead, parse_body
from commitments.audit.domain.tlog.cosign import cosigners
from commitments.audit.domain.tlog.entry import leaf_hash
from commitments.audit.domain.tlog.note import NoteError, Verifier, open_note
from commitments.audit.domain.tlog.rebuild import entries_of_rows
from commitments.audit.domain.tlog.tree import GrowingTree

Batch = list[tuple[int, bytes]]  # (notification id, 0x00 ‖ row bytes), as the chain's pass reads them
MISMATCH, UNWITNESSED = "tlog_mismatch", "tlog_unwitnessed"  # finding kinds (see findings.LABELS)


@dataclass
class LogReport:
    size: int = 0
    checkpoints: int = 0
    cosigned_by: list[str] = field(default_factory=list)
    required: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (finding kind, detail)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (f"transparency log: {self.size} events, {self.checkpoints} checkpoints, latest cosigned by "
                f"{len(self.cosigned_by)} of {self.required} required ({', '.join(self.cosigned_by) or '-'})")


class LogCheck:
    """The log's part of verify, fed the rows as the chain's pass reads them (one read of the events table).

    Each batch of rows is paired with the entries stored at its positions, in position order, by offset; the
    entry each row gives (`rebuild.entries_of_rows`) joins the tree, and one that differs is a finding."""

    def __init__(self, conn: Conn, store: TlogStore, log_keys: list[Verifier], required: int) -> None:
        self.report = LogReport(required=required)
        self.heads = _heads(store, conn, log_keys, self.report)
        self.report.checkpoints = len(self.heads)
        self.pending = sorted(self.heads)
        self.grown, self.position = GrowingTree(), 0

    def feed(self, rows: Sequence[bytes], stored: Sequence[bytes]) -> None:
        """Rows as the tree covers them (leaves.py), from the next position on; `stored` as described above."""
        entries = entries_of_rows(rows, stored)
        leaves = [leaf_hash(entry) for entry in entries]
        if any(entry is not have and entry != have for entry, have in zip(entries, stored, strict=False)):
            self._in_order(rows, stored, entries, leaves)
        else:
            grown, pending, base = self.grown, self.pending, self.grown.size
            while pending and 0 < pending[0] <= base + len(leaves):  # a size of 0 is never reached: stays pending
                size = pending.pop(0)
                grown.extend(leaves[grown.size - base:size - base])
                self._compare(self.heads[size])
            grown.extend(leaves[grown.size - base:])
        self.position += len(rows)

    def _in_order(self, rows: Sequence[bytes], stored: Sequence[bytes], entries: list[bytes],
                  leaves: list[bytes]) -> None:
        """A batch with an entry that differs: the findings row by row, in the order the rows give them."""
        problems = self.report.problems
        for offset, (entry, leaf) in enumerate(zip(entries, leaves, strict=True)):
            if offset < len(stored) and entry != stored[offset] and len(problems) < 20:
                nid = int.from_bytes(rows[offset][:8], signed=True)
                problems.append((MISMATCH, f"entry {self.position + offset} does not match event row {nid}"))
            self.grown.append(leaf)
            while self.pending and self.pending[0] == self.grown.size:
                self._compare(self.heads[self.pending.pop(0)])

    def _compare(self, head: TreeHead) -> None:
        if head.root != self.grown.root():
            self.report.problems.append((MISMATCH, "the events no longer give the root of the checkpoint of "
                                                   f"{head.size}"))

    def passing(self, batches: Iterable[tuple[Batch, list[bytes]]]) -> Iterator[Batch]:
        """The chain's batches, each checked here on its way (0x00 ‖ row bytes: the row bytes follow the byte)."""
        for batch, stored in batches:
            self.feed([preimage[1:] for _, preimage in batch], stored)
            yield batch

    def finish(self, conn: Conn, store: TlogStore, witnesses: list[Verifier]) -> LogReport:
        report = self.report
        report.size = self.grown.size
        report.problems += [(MISMATCH, f"the checkpoint of {s} events covers more events than the log holds")
                            for s in self.pending]
        _quorum(store, conn, witnesses, report)
        return report


def verify_log(conn: Conn, store: TlogStore, audit: AuditStore, log_keys: list[Verifier],
               witnesses: list[Verifier], required: int) -> LogReport:
    check = LogCheck(conn, store, log_keys, required)
    for _ in check.passing(audit.log_batches(conn, store.entries)):
        pass
    return check.finish(conn, store, witnesses)


def _heads(store: TlogStore, conn: Conn, log_keys: list[Verifier], report: LogReport) -> dict[int, TreeHead]:
    heads = {}
    for size, text in store.checkpoints(conn):
        try:
            heads[size] = parse_body(open_note(text, log_keys).body)
        except NoteError as error:
            report.problems.append((MISMATCH, f"the checkpoint of {size} events is not validly signed ({error})"))
    return heads


def _quorum(store: TlogStore, conn: Conn, witnesses: list[Verifier], report: LogReport) -> None:
    note = checkpoint_note(store, conn)
    if note is None:
        if report.size and report.required:
            report.problems.append((UNWITNESSED, "no signed checkpoint of the log for the witnesses to cosign"))
        return
    report.cosigned_by = sorted(cosigners(note, witnesses))
    if len(report.cosigned_by) < report.required:
        report.problems.append((UNWITNESSED, f"the latest checkpoint ({parse_body(note.body).size} events) has "
                                f"{len(report.cosigned_by)} of the {report.required} cosignatures required: "
                                "the witnesses did not accept it (a rewritten history, or a witness down)"))


@dataclass(frozen=True)
class LogKeys:
    """Whom the log's verification trusts: the log's keys (every checkpoint key still trusted, under the
    log's origin), the witnesses' keys, and how many cosignatures the latest checkpoint needs."""

    log: list[Verifier]
    witnesses: list[Verifier]
    required: int


def verify_with(conn: Conn, store: TlogStore, audit: AuditStore, keys: LogKeys) -> LogReport:
    return verify_log(conn, store, audit, keys.log, keys.witnesses, keys.required)
