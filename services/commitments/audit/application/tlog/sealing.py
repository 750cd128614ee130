"""The sealer's side of the transparency log: appends an entry per sealed event, signs checkpoint notes.

It runs as the sealer's index hook, in the transaction that writes the seals, so the log never runs ahead
of or behind the sealed chain. On its first call it appends every sealed event it does not hold yet (a
deployment that had the chain before the log gets a log from the first event). Before signing it proves,
from the stored tiles, that the tree extends the latest checkpoint it signed: a checkpoint inconsistent with
one signed before is never signed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from commitments.audit.application.ports import AuditStore, Conn, TlogStore
from commitments.audit.application.sealer import Indexer, SealerRefused
from commitments.audit.domain.leaves import LogRow
from commitments.audit.domain.merkle import verify_consistency
from commitments.audit.domain.seals import Seal
from commitments.audit.domain.tlog import tree
from commitments.audit.domain.tlog.checkpoint import TreeHead, parse_body
from commitments.audit.domain.tlog.entry import Entry, leaf_hash
from commitments.audit.domain.tlog.note import NoteError, Signer, open_note
from commitments.audit.domain.tlog.tree import GrowingTree

log = logging.getLogger(__name__)
BACKFILL_BATCH = 5000


class LogRefused(SealerRefused):
    """The stored log does not extend the latest signed checkpoint: nothing more is signed."""


class TransparencyLog:
    def __init__(self, store: TlogStore, audit: AuditStore, signer: Signer) -> None:
        self.store, self.audit, self.signer = store, audit, signer
        self.tree: GrowingTree | None = None

    @property
    def origin(self) -> str:
        return self.signer.name

    def _resume(self, conn: Conn) -> GrowingTree:
        if self.tree is None:
            self.store.create(conn)
        size = self.store.size(conn)
        if self.tree is None or self.tree.size != size:  # first call, or a transaction of ours rolled back
            self.tree = tree.apply(lambda p: GrowingTree.resume(size, p), lambda s: self.store.hashes(conn, s))
        return self.tree

    def __call__(self, conn: Conn, rows: Sequence[LogRow], seals: Sequence[Seal]) -> None:
        """Appends the entries of freshly sealed rows (the sealer's index hook, inside its transaction)."""
        if not seals:
            return
        grown = self._copy(self._resume(conn))
        if seals[0].position > grown.size:
            self._backfill(conn, grown, seals[0].position)
        fresh = [(r, s) for r, s in zip(rows, seals, strict=True) if s.position >= grown.size]
        self._append(conn, grown, [r for r, _ in fresh], [s.signed for _, s in fresh])
        self.tree = grown

    def _backfill(self, conn: Conn, grown: GrowingTree, stop: int) -> None:
        log.info("transparency log: adding sealed events %d..%d", grown.size, stop - 1)
        while grown.size < stop:
            seals = self.audit.seals(conn, grown.size, min(stop, grown.size + BACKFILL_BATCH))
            rows = self.audit.rows_by_id(conn, [s.notification_id for s in seals])
            missing = [s.position for s in seals if s.notification_id not in rows]
            if missing or not seals:
                raise LogRefused(f"sealed events are gone from the log at positions {missing[:5]}")
            self._append(conn, grown, [rows[s.notification_id] for s in seals], [s.signed for s in seals])

    def _append(self, conn: Conn, grown: GrowingTree, rows: Sequence[LogRow], signed: Sequence[bool]) -> None:
        if not rows:
            return
        tags = self.store.tags(conn, [r.notification_id for r in rows])
        first, entries, nodes = grown.size, [], []
        for row, ok in zip(rows, signed, strict=True):
            entry = Entry.of(row, ok, *tags.get(row.notification_id, ("", 0))).encode()
            entries.append(entry)
            nodes.extend(grown.append(leaf_hash(entry)))
        self.store.append(conn, first, entries, nodes)

    @staticmethod
    def _copy(source: GrowingTree) -> GrowingTree:
        return GrowingTree(source.size, list(source.stack))

    def checkpoint(self, conn: Conn) -> str | None:
        """Signs and stores a checkpoint of the tree, if it grew since the latest one; LogRefused if the stored
        tree does not extend that one."""
        current = self._resume(conn)
        sealed = self.store.sealed_size(conn)
        if sealed > current.size:  # sealed before the log existed, and nothing sealed since
            grown = self._copy(current)
            with conn.transaction():
                self._backfill(conn, grown, sealed)
            self.tree = current = grown
        size = current.size
        stored_root = tree.apply(lambda p: tree.root(p, size), lambda s: self.store.hashes(conn, s))
        if stored_root != current.root():
            raise LogRefused("the stored tiles do not give the tree's root")
        latest = self.store.latest_checkpoint(conn)
        if latest is not None:
            old = self._signed(latest[1])
            if old.size > size:
                raise LogRefused(f"the log holds {size} events, fewer than its checkpoint of {old.size}")
            if old.size == size:
                if old.root != stored_root:
                    raise LogRefused(f"the log of {size} events does not extend the checkpoint of {old.size}")
                return None
            proof = tree.apply(lambda p: tree.consistency(p, old.size, size), lambda s: self.store.hashes(conn, s))
            if not verify_consistency(old.size, size, old.root, stored_root, proof):
                raise LogRefused(f"the log of {size} events does not extend the checkpoint of {old.size}")
        if size == 0:
            return None
        note = self.signer.sign(TreeHead(self.origin, size, stored_root).body())
        with conn.transaction():
            self.store.add_checkpoint(conn, size, stored_root, note)
        return note

    def _signed(self, note: str) -> TreeHead:
        try:
            return parse_body(open_note(note, [self.signer.verifier]).body)
        except NoteError as error:
            raise LogRefused(f"the latest stored log checkpoint is not one this sealer signed ({error})") from None


def index_then_log(indexer: Indexer, tlog: TransparencyLog) -> Indexer:
    """The sealer's hook: the change index first (the log's entries take their unit tags from it), then the log."""
    def hook(conn: Conn, rows: Sequence[LogRow], seals: Sequence[Seal]) -> None:
        indexer(conn, rows, seals)
        tlog(conn, rows, seals)
    return hook
