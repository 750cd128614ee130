"""An in-memory events table with its seal records and checkpoints, to tamper with in unit tests."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID, uuid5

from eventsourcing.persistence import StoredEvent

from commitments.audit.application.sealer import SealedTree, seal_rows
from commitments.audit.domain.checkpoints import CheckpointSigner, SignedCheckpoint
from commitments.audit.domain.findings import Report
from commitments.audit.domain.leaves import GENESIS, SIGNED, LogRow, chain_next, row_digest
from commitments.audit.domain.seals import Seal, SealRecords
from commitments.audit.domain.verification import LogVerifier
from commitments.persistence.signing import EventSigner

TOPIC = "commitments.domain.task:Task.ProgressReported"
NS = UUID("00000000-0000-0000-0000-0000000000aa")


class MemoryLog:
    def __init__(self, tasks: int = 4) -> None:
        self.signer = EventSigner.generate()
        self.keys = {self.signer.key_id: self.signer.public_key}
        self.checkpoint_signer = CheckpointSigner.generate()
        self.tasks = [uuid5(NS, str(i)) for i in range(tasks)]
        self.rows: list[LogRow] = []
        self.seals: list[Seal] = []
        self.checkpoints: list[SignedCheckpoint] = []
        self.tree = SealedTree()

    def append(self, count: int) -> None:
        for _ in range(count):
            task = self.tasks[len(self.rows) % len(self.tasks)]
            version = sum(1 for r in self.rows if r.originator_id == task) + 1
            self.rows.append(self.signed_row(self.next_id(), task, version, {"value": len(self.rows)}))

    def next_id(self) -> int:
        return max((r.notification_id for r in self.rows), default=0) + 1

    def signed_row(self, nid: int, task: UUID, version: int, body: dict[str, object]) -> LogRow:
        stored = self.signer.sign(StoredEvent(originator_id=task, originator_version=version, topic=TOPIC,
                                              state=json.dumps(body).encode()))
        return LogRow(nid, task, version, TOPIC, stored.state)

    def seal(self) -> None:
        sealed = {s.notification_id for s in self.seals}
        new = [r for r in sorted(self.rows, key=lambda r: r.notification_id) if r.notification_id not in sealed]
        seals = seal_rows(new, len(self.seals), self.tree.chain, self.keys)
        self.seals += seals
        self.tree.extend(seals)

    def checkpoint(self) -> SignedCheckpoint:
        body = self.tree.checkpoint("qt-skhcn", "commitments/test", datetime(2025, 6, 30, tzinfo=UTC), self.keys)
        self.checkpoints.append(self.checkpoint_signer.sign(body))
        return self.checkpoints[-1]

    def verify(self) -> Report:
        ordered = sorted(self.rows, key=lambda r: r.notification_id)
        by_id = {r.notification_id: r for r in ordered}
        by_event = {(r.originator_id, r.originator_version): r.notification_id for r in ordered}
        verifier = LogVerifier(SealRecords.of(self.seals), self.checkpoints, self.keys,
                                locate=lambda task, version: by_event.get((task, version)),
                                fetch=lambda ids: {i: by_id[i].encode() for i in ids if i in by_id})
        rows = [(r.notification_id, SIGNED + r.encode()) for r in ordered]
        return verifier.run([rows[:7], rows[7:]])  # batches, as the store streams them

    # --- tampering, as someone with write access to the tables would ----------------------------

    def reseal_as_genuine(self) -> None:
        """Rewrite the seal records for the log as it now stands, every row claimed genuine (no checkpoint key)."""
        chain, self.seals = GENESIS, []
        for position, row in enumerate(sorted(self.rows, key=lambda r: r.notification_id)):
            data = row.encode()
            chain = chain_next(chain, data, True)
            self.seals.append(Seal(position, row.notification_id, row.originator_id, row.originator_version, chain,
                                   row_digest(data, True), True))

    def edit_byte(self, index: int) -> None:
        row = self.rows[index]
        state = bytearray(row.state)
        state[2] ^= 0x01
        self.rows[index] = replace(row, state=bytes(state))

    def swap_ids(self, a: int, b: int) -> None:
        ra, rb = self.rows[a], self.rows[b]
        self.rows[a], self.rows[b] = replace(ra, notification_id=rb.notification_id), replace(
            rb, notification_id=ra.notification_id)
