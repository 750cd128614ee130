"""Reading the events table and the audit tables with plain SQL (no decoding: the tree covers stored bytes)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any, LiteralString
from uuid import UUID

from psycopg import Connection
from psycopg.sql import SQL, Literal

from commitments.audit.adapters.readahead import prefetched
from commitments.audit.adapters.schema import CHANGES, CHECKPOINTS, SEALS, AuditTables
from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.encoding import canonical_json
from commitments.audit.domain.leaves import Head, LogRow
from commitments.audit.domain.seals import Seal, SealRecords, StoredCheckpoint

Conn = Connection[Any]
# The row's bytes as the tree covers them, built by the server (see leaves.py for the layout).
_ROW_BYTES: LiteralString = ("int8send(notification_id) || uuid_send(originator_id) || int8send(originator_version) "
              "|| int4send(octet_length(convert_to(topic, 'UTF8'))) || convert_to(topic, 'UTF8') || state")
STREAM_BATCH = 5000


class AuditStore:
    def __init__(self, tables: AuditTables) -> None:
        self.tables = tables

    @property
    def log_name(self) -> str:
        return self.tables.log_name

    def create(self, conn: Conn) -> None:
        self.tables.create(conn)

    def try_lock(self, conn: Conn) -> bool:
        """The log's sealer lock (a session advisory lock): one sealer per log."""
        locked = conn.execute(SQL("SELECT pg_try_advisory_lock(hashtext({}))").format(
            Literal(self.tables.log_name))).fetchone()
        return bool(locked and locked[0])

    def tasks_of_unit(self, conn: Conn, unit: str, before: int) -> set[UUID]:
        """The tasks whose change index names the unit among the first `before` sealed rows."""
        rows = conn.execute(SQL("SELECT DISTINCT task_id FROM {} WHERE unit = %s AND position < %s").format(
            self.tables.name(CHANGES)), (unit, before)).fetchall()
        return {r[0] for r in rows}

    # --- the events table --------------------------------------------------------------------

    def rows_after(self, conn: Conn, notification_id: int, limit: int) -> list[LogRow]:
        query = SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
                    "WHERE notification_id > %s ORDER BY notification_id LIMIT %s").format(self.tables.events)
        with conn.cursor(binary=True) as curs:
            curs.execute(query, (notification_id, limit))
            return [LogRow(n, o, v, t, s) for n, o, v, t, s in curs.fetchall()]

    def row_batches(self, conn: Conn) -> Iterator[list[tuple[int, bytes]]]:
        """(notification id, 0x00 ‖ row bytes) of every row in notification order, in batches; call inside a
        transaction.

        A thread reads the next batch while the caller hashes this one: the server's work overlaps ours."""
        return prefetched(self._row_batches(conn))

    def _row_batches(self, conn: Conn) -> Generator[list[tuple[int, bytes]]]:
        # 0x00 ‖ row bytes: what follows the previous chain value when the row is signed (the common case),
        # built by the server so that the client's hot loop is one SHA-256 per row and nothing else.
        query = SQL("SELECT notification_id, '\\x00'::bytea || " + _ROW_BYTES + " FROM {} "
                    "ORDER BY notification_id").format(self.tables.events)
        with conn.cursor(name="audit_rows", binary=True) as curs:
            curs.execute(query)
            while batch := curs.fetchmany(STREAM_BATCH):
                yield batch

    def log_batches(self, conn: Conn, entries: Callable[[Conn, int, int], list[bytes]]
                    ) -> Iterator[tuple[list[tuple[int, bytes]], list[bytes]]]:
        """Each batch of `row_batches` with the log entries stored at its positions, both read by the thread."""
        def read() -> Generator[tuple[list[tuple[int, bytes]], list[bytes]]]:
            rows, position = self._row_batches(conn), 0
            try:
                for batch in rows:
                    yield batch, entries(conn, position, len(batch))
                    position += len(batch)
            finally:
                rows.close()
        return prefetched(read())

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
        query = SQL("SELECT position, notification_id, originator_id, originator_version, chain, digest, signed "
                    "FROM {} WHERE position >= %s AND (%s::bigint IS NULL OR position < %s) ORDER BY position").format(
            self.tables.name(SEALS))
        with conn.cursor(binary=True) as curs:
            curs.execute(query, (first, stop, stop))
            return [Seal(*row) for row in curs.fetchall()]

    def seal_records(self, conn: Conn) -> SealRecords:
        """Chain values and verdicts in two aggregated values: one row to read instead of one per event."""
        row = conn.execute(SQL(
            "SELECT count(*), coalesce(max(position), -1), coalesce(string_agg(chain, ''::bytea ORDER BY position), "
            "''::bytea), coalesce(string_agg(CASE WHEN signed THEN '\\x01'::bytea ELSE '\\x00'::bytea END, "
            "''::bytea ORDER BY position), ''::bytea) FROM {}").format(self.tables.name(SEALS)),
            binary=True).fetchone()
        assert row is not None  # an aggregate always answers one row
        count, last, chains, verdicts = row
        return SealRecords([chains[i:i + 32] for i in range(0, 32 * count, 32)], [b == 1 for b in verdicts],
                           lambda: self.seals(conn), contiguous=count == last + 1)

    def append_seals(self, conn: Conn, seals: list[Seal]) -> None:
        query = SQL("COPY {} (position, notification_id, originator_id, originator_version, chain, digest, signed) "
                    "FROM STDIN").format(self.tables.name(SEALS))
        with conn.cursor() as curs, curs.copy(query) as copy:
            for s in seals:
                copy.write_row((s.position, s.notification_id, s.originator_id, s.originator_version, s.chain,
                                s.digest, s.signed))

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

