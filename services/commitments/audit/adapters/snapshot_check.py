"""Verification of the snapshots table: every snapshot must carry a valid service signature.

Snapshots are not part of the log (they are a cache of a task's state every 100 versions), so the
chain does not cover them; the service ignores any it cannot verify (commitments.persistence.snapshots).
A row that does not verify is still worth reporting: someone wrote to the table directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from commitments.audit.adapters.store import Conn
from commitments.audit.domain.findings import Finding
from commitments.audit.domain.keys import KeyRing
from commitments.persistence.snapshots import snapshot_trusted

BATCH = 1000


def snapshot_findings(conn: Conn, schema: str, table: str, keys: KeyRing) -> tuple[int, list[Finding]]:
    """(how many snapshots were checked, one finding per snapshot that does not verify)."""
    checked, findings = 0, []
    for stored in _snapshots(conn, schema, table):
        checked += 1
        if not snapshot_trusted(stored, keys):
            findings.append(Finding(
                "snapshot_forged", "the snapshot carries no valid signature of the commitments service (the "
                                   "service ignores it and rebuilds the task from its events)",
                task_id=UUID(str(stored.originator_id)), version=stored.originator_version))
    return checked, findings


def _snapshots(conn: Conn, schema: str, table: str) -> Iterator[StoredEvent]:
    exists = conn.execute("SELECT to_regclass(format('%%I.%%I', %s::text, %s::text))", (schema, table)).fetchone()
    if not exists or exists[0] is None:
        return
    query = SQL("SELECT originator_id, originator_version, topic, state FROM {} "
                "ORDER BY originator_id, originator_version").format(Identifier(schema, table))
    with conn.cursor(name="audit_snapshots", binary=True) as curs:
        curs.execute(query)
        while batch := curs.fetchmany(BATCH):
            for task_id, version, topic, state in batch:
                yield StoredEvent(originator_id=task_id, originator_version=version, topic=topic,
                                  state=bytes(state))


class SnapshotSignatures:
    """The commitments store's snapshots, each checked against the service's keys."""

    def __init__(self, schema: str, table: str, keys: KeyRing) -> None:
        self.schema, self.table, self.keys = schema, table, keys

    def findings(self, conn: Conn) -> tuple[int, list[Finding]]:
        return snapshot_findings(conn, self.schema, self.table, self.keys)
