"""`camket audit verify`, for the transparency log: rebuilds every entry from the event rows, recomputes the
tree's root at each signed checkpoint, and counts the witnesses' cosignatures on the latest one.

What it trusts of the stored entries is only what the sealer alone could know (its signature verdict and the
unit tag, both covered by the chain and the index); everything else is recomputed from the rows. A history
rewritten together with the log (rows edited, log rebuilt, checkpoints re-signed) passes the first two
checks and fails the last: the witnesses keep their own record and refuse to cosign it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commitments.audit.application.ports import AuditStore, Conn, TlogStore
from commitments.audit.application.tlog.reading import checkpoint_note
from commitments.audit.domain.leaves import LogRow
from commitments.audit.domain.tlog.checkpoint import TreeHead, parse_body
from commitments.audit.domain.tlog.cosign import cosigners
from commitments.audit.domain.tlog.entry import Entry, leaf_hash
from commitments.audit.domain.tlog.note import NoteError, Verifier, open_note
from commitments.audit.domain.tlog.tree import GrowingTree

BATCH = 5000
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


def verify_log(conn: Conn, store: TlogStore, audit: AuditStore, log_keys: list[Verifier],
               witnesses: list[Verifier], required: int) -> LogReport:
    report = LogReport(required=required)
    heads = _heads(store, conn, log_keys, report)
    report.checkpoints = len(heads)
    grown, after, position = GrowingTree(), 0, 0
    pending = sorted(heads)
    while rows := audit.rows_after(conn, after, BATCH):
        stored = store.entries(conn, position, len(rows))
        for offset, row in enumerate(rows):
            have = stored[offset] if offset < len(stored) else None
            entry = _rebuilt(row, have)
            if have is not None and entry != have and len(report.problems) < 20:
                report.problems.append((MISMATCH, f"entry {position + offset} does not match event row "
                                                  f"{row.notification_id}"))
            grown.append(leaf_hash(entry))
            while pending and pending[0] == grown.size:
                head = heads[pending.pop(0)]
                if head.root != grown.root():
                    report.problems.append((MISMATCH, "the events no longer give the root of the checkpoint of "
                                                      f"{head.size}"))
        position += len(rows)
        after = rows[-1].notification_id
    report.size = grown.size
    report.problems += [(MISMATCH, f"the checkpoint of {s} events covers more events than the log holds")
                        for s in pending]
    _quorum(store, conn, witnesses, report)
    return report


def _rebuilt(row: LogRow, stored: bytes | None) -> bytes:
    try:
        sealed = Entry.decode(stored) if stored is not None else None
    except ValueError:
        sealed = None
    if sealed is None:
        return Entry.of(row, False, "").encode()
    return Entry.of(row, sealed.signed, sealed.unit, sealed.year).encode()


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
