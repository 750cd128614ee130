"""Snapshots are a shortcut, never a source of truth: one is used only if it carries the service's signature.

A snapshot every 100 versions saves replaying a long history, but its table is one the application's
role writes (the library inserts snapshots as it goes), and whatever a snapshot row says becomes the
live state of the task — its unit too, which authorisation checks. So a snapshot row edited or inserted
directly in PostgreSQL must change nothing.

Two ways were open: rebuild every task from its events (trusting no snapshot), or sign snapshots and
check them on load. We check signatures: snapshots are written through the same signing mapper as the
events (the signature covers task id, version, topic and state, with the key kept outside the
database), so the check costs one Ed25519 verification per load instead of replaying up to a hundred
events, and the events are the only thing ever trusted without one. A snapshot that fails the check
— edited, inserted, signed by a key not trusted, or not a snapshot at all (a signed event row copied
into the table) — is skipped and logged: the task comes from an older trusted snapshot or from its
events alone, so the forgery costs time, never truth. `camket audit verify` reports such rows.

A store with no trusted keys uses no snapshots at all (it rebuilds from events).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import islice
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import AggregateRecorder, Mapper, StoredEvent

from commitments.application.ports import SnapshotStore
from commitments.domain.signed_records import split_signed, verify_stored

log = logging.getLogger(__name__)
SNAPSHOT_TOPIC = "eventsourcing.domain:Snapshot"  # the library's Snapshot class, which Task uses


def snapshot_trusted(stored: StoredEvent, keys: dict[bytes, Ed25519PublicKey]) -> bool:
    """A genuine snapshot of the service: the snapshot topic and a valid signature by a trusted key."""
    return stored.topic == SNAPSHOT_TOPIC and verify_stored(stored, keys)


class TrustedSnapshots(SnapshotStore):
    """The snapshot store of the application: writes through the (signing) mapper, reads only what verifies."""

    def __init__(self, mapper: Mapper[UUID], recorder: AggregateRecorder,
                 keys: dict[bytes, Ed25519PublicKey]) -> None:
        super().__init__(mapper, recorder)
        self.keys = keys

    def get(self, originator_id: UUID, *, gt: int | None = None, lte: int | None = None, desc: bool = False,
            limit: int | None = None) -> Iterator[Any]:
        # The limit is applied after the check, so a forged newest row falls back to an older genuine one.
        rows = self.recorder.select_events(originator_id=originator_id, gt=gt, lte=lte, desc=desc) \
            if self.keys else []
        return islice((s for s in (self.decode(row) for row in rows) if s is not None), limit)

    def latest(self, task_ids: list[UUID]) -> list[Any]:
        decoded = (self.decode(row) for row in self.newest_rows(task_ids)) if self.keys else ()
        return [s for s in decoded if s is not None]

    def newest_rows(self, task_ids: list[UUID]) -> list[StoredEvent]:
        """The newest snapshot row of each task (one query per task; the PostgreSQL store makes it one)."""
        return [row for i in task_ids for row in self.recorder.select_events(i, desc=True, limit=1)]

    def decode(self, stored: StoredEvent) -> Any | None:
        """The snapshot as a domain object, or None (logged) if it is not a trusted one."""
        if not snapshot_trusted(stored, self.keys):
            log.warning("snapshot of task %s version %s carries no valid service signature: ignored, the task is "
                        "rebuilt from its events", stored.originator_id, stored.originator_version)
            return None
        parts = split_signed(stored.state)
        assert parts is not None  # verified above
        return self.mapper.to_domain_event(StoredEvent(
            originator_id=stored.originator_id, originator_version=stored.originator_version, topic=stored.topic,
            state=parts[0]))
