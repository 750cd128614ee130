"""Reading the events table and the audit tables with plain SQL (no decoding: the tree covers stored bytes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, LiteralString
from uuid import UUID

from psycopg import Connection
from psycopg.sql import SQL

from commitments.audit.checkpoints import SignedCheckpoint
from commitments.audit.encoding import EncodingError, canonical_json
from commitments.audit.leaves import Head, LogRow
from commitments.audit.schema import CHECKPOINTS, SEALS, AuditTables

Conn = Connection[Any]
# The row's bytes as the tree covers them, built by the server (see leaves.py for the layout).
_ROW_BYTES: LiteralString = ("int8send(notification_id) || uuid_send(originator_id) || int8send(originator_version) "
              "|| int4send(octet_length(convert_to(topic, 'UTF8'))) || convert_to(topic, 'UTF8') || state")
STREAM_BATCH = 5000


@dataclass(frozen=True, slots=True)
class Seal:
    position: int
    notification_id: int
    originator_id: UUID
    originator_version: int
    leaf: bytes
    signed: bool


@dataclass(frozen=True)
class StoredCheckpoint:
    tree_size: int
    document: str  # exactly as stored; parsed (and its signature checked) by whoever uses it

    def parse(self) -> SignedCheckpoint | None:
        try:
            return SignedCheckpoint.from_document(json.loads(self.document))
        except (ValueError, EncodingError):
            return None


class AuditStore:
    def __init__(self, tables: AuditTables) -> None:
        self.tables = tables

    # --- the events table --------------------------------------------------------------------

    def rows_after(self, conn: Conn, notification_id: int, limit: int) -> list[LogRow]:
        query = SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
                    "WHERE notification_id > %s ORDER BY notification_id LIMIT %s").format(self.tables.events)
        with conn.cursor(binary=True) as curs:
            curs.execute(query, (notification_id, limit))
            return [LogRow(n, o, v, t, s) for n, o, v, t, s in curs.fetchall()]

    def stream_row_bytes(self, conn: Conn) -> Iterator[tuple[int, bytes]]:
        """(notification id, row bytes) of every row in notification order; call inside a transaction."""
        query = SQL("SELECT notification_id, " + _ROW_BYTES + " FROM {} ORDER BY notification_id").format(
            self.tables.events)
        with conn.cursor(name="audit_rows", binary=True) as curs:
            curs.itersize = STREAM_BATCH
            curs.execute(query)
            yield from curs

    def rows_by_id(self, conn: Conn, notification_ids: list[int]) -> dict[int, LogRow]:
        query = SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
                    "WHERE notification_id = ANY(%s)").format(self.tables.events)
        with conn.cursor(binary=True) as curs:
            curs.execute(query, (notification_ids,))
            return {n: LogRow(n, o, v, t, s) for n, o, v, t, s in curs.fetchall()}

    def find_event(self, conn: Conn, originator_id: UUID, version: int) -> int | None:
        """The notification id now holding this task version, if any row does."""
        row = conn.execute(SQL("SELECT notification_id FROM {} WHERE originator_id = %s AND originator_version = %s")
                           .format(self.tables.events), (originator_id, version)).fetchone()
        return int(row[0]) if row else None

    # --- seals -------------------------------------------------------------------------------

    def seals(self, conn: Conn, first: int = 0, stop: int | None = None) -> list[Seal]:
        query = SQL("SELECT position, notification_id, originator_id, originator_version, leaf, signed FROM {} "
                    "WHERE position >= %s AND (%s::bigint IS NULL OR position < %s) ORDER BY position").format(
            self.tables.name(SEALS))
        with conn.cursor(binary=True) as curs:
            curs.execute(query, (first, stop, stop))
            return [Seal(*row) for row in curs.fetchall()]

    def append_seals(self, conn: Conn, seals: list[Seal]) -> None:
        query = SQL("COPY {} (position, notification_id, originator_id, originator_version, leaf, signed) "
                    "FROM STDIN").format(self.tables.name(SEALS))
        with conn.cursor() as curs, curs.copy(query) as copy:
            for s in seals:
                copy.write_row((s.position, s.notification_id, s.originator_id, s.originator_version, s.leaf,
                                s.signed))

    def heads(self, conn: Conn, tree_size: int) -> dict[UUID, Head]:
        """Each task's last version among the first `tree_size` sealed rows."""
        query = SQL("SELECT DISTINCT ON (originator_id) originator_id, originator_version, position FROM {} "
                    "WHERE position < %s ORDER BY originator_id, originator_version DESC").format(
            self.tables.name(SEALS))
        rows = conn.execute(query, (tree_size,)).fetchall()
        return {r[0]: Head(r[0], r[1], r[2]) for r in rows}

    # --- checkpoints -------------------------------------------------------------------------

    def add_checkpoint(self, conn: Conn, signed: SignedCheckpoint) -> None:
        conn.execute(SQL("INSERT INTO {} (tree_size, root, issued_at, document) VALUES (%s, %s, %s, %s)").format(
            self.tables.name(CHECKPOINTS)), (signed.tree_size, signed.checkpoint.root, signed.checkpoint.issued_at,
                                             canonical_json(signed.document()).decode()))

    def checkpoints(self, conn: Conn, after_size: int = -1) -> list[StoredCheckpoint]:
        rows = conn.execute(SQL("SELECT tree_size, document FROM {} WHERE tree_size > %s ORDER BY tree_size")
                            .format(self.tables.name(CHECKPOINTS)), (after_size,)).fetchall()
        return [StoredCheckpoint(int(size), str(doc)) for size, doc in rows]
