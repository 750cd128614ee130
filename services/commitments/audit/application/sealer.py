"""The sealer: follows the events table in notification order, seals each row into the tree, signs checkpoints.

It checks each row's service signature before sealing it, and writes its verdict into the leaf, so a row
that someone inserted directly in the database before the sealer ran is sealed as forged, not as genuine.
Only one sealer runs per log (a PostgreSQL advisory lock); on start it refuses to extend seal records
that no longer match its own latest checkpoint. Its connection is in autocommit mode: each batch is
its own transaction, and a poll that finds nothing holds no snapshot open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from commitments.audit.application.ports import AuditStore, Conn
from commitments.audit.domain.checkpoints import Checkpoint, CheckpointSigner, SignedCheckpoint
from commitments.audit.domain.keys import KeyRing, raw_public, row_signed
from commitments.audit.domain.leaves import GENESIS, Head, LogRow, chain_next, entry_leaf, row_digest, sorted_heads
from commitments.audit.domain.merkle import Frontier, MerkleTree
from commitments.audit.domain.seals import Seal

log = logging.getLogger(__name__)
Indexer = Callable[[Conn, Sequence[LogRow], Sequence[Seal]], None]  # writes the change index in the same transaction


class SealerRefused(Exception):
    """The sealer will not extend this log (another sealer runs, or the seal records were altered)."""


class SealerLocked(SealerRefused):
    """Another session holds the log's sealer lock (another sealer, or our own dead connection's)."""


def seal_rows(rows: Sequence[LogRow], first_position: int, previous: bytes, keys: KeyRing) -> list[Seal]:
    """The seal records of rows that follow `previous` (the chain value before the first of them)."""
    seals = []
    for offset, row in enumerate(rows):
        signed, data = row_signed(row, keys), row.encode()
        previous = chain_next(previous, data, signed)
        seals.append(Seal(first_position + offset, row.notification_id, row.originator_id, row.originator_version,
                          previous, row_digest(data, signed), signed))
    return seals


@dataclass
class SealedTree:
    """What the sealer keeps in memory: the chain's head, the tree's frontier, each task's head, the last row."""

    chain: bytes = GENESIS
    frontier: Frontier = field(default_factory=Frontier)
    heads: dict[UUID, Head] = field(default_factory=dict)
    last_notification_id: int = 0

    @property
    def size(self) -> int:
        return self.frontier.size

    def extend(self, seals: Sequence[Seal]) -> None:
        for seal in seals:
            if seal.position != self.frontier.size:
                raise SealerRefused(f"seal records are not contiguous at position {seal.position}")
            self.frontier.append(entry_leaf(seal.chain))
            self.chain = seal.chain
            head = self.heads.get(seal.originator_id)
            if head is None or seal.originator_version >= head.version:
                self.heads[seal.originator_id] = Head(seal.originator_id, seal.originator_version, seal.position)
            self.last_notification_id = seal.notification_id

    def checkpoint(self, org: str, log_name: str, issued_at: datetime, event_keys: KeyRing) -> Checkpoint:
        heads = sorted_heads(self.heads)
        return Checkpoint(org=org, log=log_name, tree_size=self.size, chain=self.chain, root=self.frontier.root(),
                          heads_root=MerkleTree([h.leaf() for h in heads]).root(), heads_count=len(heads),
                          last_notification_id=self.last_notification_id, issued_at=issued_at,
                          event_keys={kid: raw_public(key) for kid, key in event_keys.items()})


class Sealer:
    def __init__(self, store: AuditStore, event_keys: KeyRing, signer: CheckpointSigner, *, org: str,
                 clock: Callable[[], datetime], indexer: Indexer | None = None,
                 on_checkpoint: Callable[[Conn], object] | None = None) -> None:
        self.store, self.event_keys, self.signer, self.org = store, event_keys, signer, org
        self.clock, self.indexer = clock, indexer
        self.on_checkpoint = on_checkpoint  # the transparency log signs its own checkpoint beside ours
        self.tree = SealedTree()
        self.checkpointed = 0  # tree size of the latest checkpoint

    def start(self, conn: Conn) -> None:
        """Takes the log's sealer lock, creates the tables, and rebuilds the tree from the seal records."""
        if not self.store.try_lock(conn):
            raise SealerLocked(f"another sealer is running for {self.store.log_name}")
        self.store.create(conn)
        seals = self.store.seals(conn)
        self.tree = SealedTree()
        self.tree.extend(seals)
        self._check_own_checkpoint(conn, seals)
        log.info("sealer resumes at %d sealed events (last notification id %d)", self.tree.size,
                 self.tree.last_notification_id)

    def _check_own_checkpoint(self, conn: Conn, seals: Sequence[Seal]) -> None:
        ours = [c for c in (s.parse() for s in self.store.checkpoints(conn)) if c is not None and c.verify(
            self.signer.ring())]
        if not ours:
            return
        latest, size = ours[-1], ours[-1].tree_size
        chain = seals[size - 1].chain if 0 < size <= len(seals) else GENESIS
        if size > len(seals) or chain != latest.checkpoint.chain or MerkleTree(
                [entry_leaf(s.chain) for s in seals[:size]]).root() != latest.checkpoint.root:
            raise SealerRefused(f"the seal records no longer match the checkpoint of {latest.tree_size} events; "
                                "run `camket audit verify` before sealing more")
        self.checkpointed = latest.tree_size

    def seal_batch(self, conn: Conn, limit: int = 1000) -> int:
        """Seals the next rows of the log (and indexes them) in one transaction; returns how many."""
        rows = self.store.rows_after(conn, self.tree.last_notification_id, limit)
        if not rows:
            return 0
        seals = seal_rows(rows, self.tree.size, self.tree.chain, self.event_keys)
        with conn.transaction():
            self.store.append_seals(conn, seals)
            if self.indexer is not None:
                self.indexer(conn, rows, seals)
        self.tree.extend(seals)
        forged = [s.position for s in seals if not s.signed]
        if forged:
            log.warning("sealed %d rows without a valid service signature at positions %s", len(forged), forged)
        return len(seals)

    @property
    def pending(self) -> int:
        """Rows sealed since the latest checkpoint."""
        return self.tree.size - self.checkpointed

    def checkpoint(self, conn: Conn) -> SignedCheckpoint | None:
        """Signs and stores the tree's head, if it grew since the latest checkpoint."""
        if self.pending == 0:
            if self.on_checkpoint is not None:  # the log may still owe its witnesses its latest checkpoint
                self.on_checkpoint(conn)
            return None
        body = self.tree.checkpoint(self.org, self.store.log_name, self.clock(), self.event_keys)
        signed = self.signer.sign(body)
        with conn.transaction():
            self.store.add_checkpoint(conn, signed)
        self.checkpointed = signed.tree_size
        if self.on_checkpoint is not None:
            self.on_checkpoint(conn)
        return signed
