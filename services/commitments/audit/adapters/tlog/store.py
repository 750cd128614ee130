"""The transparency log's tables beside the audit's (all append-only):

- audit_tlog_entries: one entry per event, by position (see `entry.py`);
- audit_tlog_hashes: the tree's hashes at tile levels (heights 0, 8, 16, …), by (level, index);
- audit_tlog_checkpoints: every signed checkpoint note, by tree size;
- audit_tlog_cosignatures: each witness's cosignature line on a checkpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import LiteralString

from psycopg.sql import SQL

from commitments.audit.adapters.protection import append_only_statements
from commitments.audit.adapters.schema import CHANGES, SEALS, AuditTables
from commitments.audit.adapters.store import Conn
from commitments.audit.domain.tlog.tree import Span, StoredNode

ENTRIES, HASHES = "audit_tlog_entries", "audit_tlog_hashes"
CHECKPOINTS, COSIGNATURES = "audit_tlog_checkpoints", "audit_tlog_cosignatures"
TABLES = (ENTRIES, HASHES, CHECKPOINTS, COSIGNATURES)
_DDL: list[LiteralString] = [
    "CREATE TABLE IF NOT EXISTS {entries} (position bigint PRIMARY KEY, entry bytea NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {hashes} (level smallint NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, "
    "PRIMARY KEY (level, idx))",
    "CREATE TABLE IF NOT EXISTS {checkpoints} (size bigint PRIMARY KEY, root bytea NOT NULL, note text NOT NULL, "
    "signed_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS {cosignatures} (size bigint NOT NULL, witness text NOT NULL, line text NOT NULL, "
    "received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (size, witness))",
]


class TlogStore:
    def __init__(self, tables: AuditTables) -> None:
        self.tables = tables

    def create(self, conn: Conn) -> None:
        names = {"entries": self.tables.name(ENTRIES), "hashes": self.tables.name(HASHES),
                 "checkpoints": self.tables.name(CHECKPOINTS), "cosignatures": self.tables.name(COSIGNATURES)}
        with conn.transaction():
            for statement in _DDL:
                conn.execute(SQL(statement).format(**names))
            for table in TABLES:
                for protect in append_only_statements(self.tables.schema, table):
                    conn.execute(protect)

    def size(self, conn: Conn) -> int:
        row = conn.execute(SQL("SELECT coalesce(max(position) + 1, 0) FROM {}").format(
            self.tables.name(ENTRIES))).fetchone()
        return int(row[0]) if row else 0

    def sealed_size(self, conn: Conn) -> int:
        """How many events the chain has sealed (the log must hold as many)."""
        row = conn.execute(SQL("SELECT coalesce(max(position) + 1, 0) FROM {}").format(
            self.tables.name(SEALS))).fetchone()
        return int(row[0]) if row else 0

    def append(self, conn: Conn, first: int, entries: Sequence[bytes], nodes: Iterable[StoredNode]) -> None:
        with conn.cursor() as curs:
            with curs.copy(SQL("COPY {} (position, entry) FROM STDIN").format(self.tables.name(ENTRIES))) as copy:
                for offset, entry in enumerate(entries):
                    copy.write_row((first + offset, entry))
            with curs.copy(SQL("COPY {} (level, idx, hash) FROM STDIN").format(self.tables.name(HASHES))) as copy:
                for node in nodes:
                    copy.write_row(node)

    def hashes(self, conn: Conn, spans: Iterable[Span]) -> Mapping[tuple[int, int], bytes]:
        spans = list(spans)
        if not spans:
            return {}
        rows = conn.execute(SQL(
            "SELECT h.level, h.idx, h.hash FROM unnest(%s::smallint[], %s::bigint[], %s::bigint[]) AS s(l, f, c) "
            "JOIN {} h ON h.level = s.l AND h.idx >= s.f AND h.idx < s.f + s.c").format(self.tables.name(HASHES)),
            ([s[0] for s in spans], [s[1] for s in spans], [s[2] for s in spans]), binary=True).fetchall()
        return {(int(level), int(idx)): bytes(value) for level, idx, value in rows}

    def hash_range(self, conn: Conn, level: int, first: int, count: int) -> list[bytes]:
        rows = conn.execute(SQL("SELECT hash FROM {} WHERE level = %s AND idx >= %s AND idx < %s ORDER BY idx")
                            .format(self.tables.name(HASHES)), (level, first, first + count), binary=True).fetchall()
        return [bytes(r[0]) for r in rows]

    def entries(self, conn: Conn, first: int, count: int) -> list[bytes]:
        rows = conn.execute(SQL("SELECT entry FROM {} WHERE position >= %s AND position < %s ORDER BY position")
                            .format(self.tables.name(ENTRIES)), (first, first + count), binary=True).fetchall()
        return [bytes(r[0]) for r in rows]

    def tags(self, conn: Conn, notification_ids: list[int]) -> dict[int, tuple[str, int]]:
        """The unit and program year of each indexed task event (the change index is written first, in the same
        transaction)."""
        rows = conn.execute(SQL("SELECT notification_id, unit, program_year FROM {} WHERE notification_id = ANY(%s)")
                            .format(self.tables.name(CHANGES)), (notification_ids,)).fetchall()
        return {int(n): (str(u), int(y)) for n, u, y in rows}

    def add_checkpoint(self, conn: Conn, size: int, root: bytes, note: str) -> None:
        conn.execute(SQL("INSERT INTO {} (size, root, note) VALUES (%s, %s, %s)").format(
            self.tables.name(CHECKPOINTS)), (size, root, note))

    def checkpoints(self, conn: Conn) -> list[tuple[int, str]]:
        rows = conn.execute(SQL("SELECT size, note FROM {} ORDER BY size").format(
            self.tables.name(CHECKPOINTS))).fetchall()
        return [(int(s), str(n)) for s, n in rows]

    def latest_checkpoint(self, conn: Conn) -> tuple[int, str] | None:
        row = conn.execute(SQL("SELECT size, note FROM {} ORDER BY size DESC LIMIT 1").format(
            self.tables.name(CHECKPOINTS))).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def add_cosignature(self, conn: Conn, size: int, witness: str, line: str) -> None:
        conn.execute(SQL("INSERT INTO {} (size, witness, line) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING").format(
            self.tables.name(COSIGNATURES)), (size, witness, line))

    def cosignatures(self, conn: Conn, size: int) -> list[str]:
        rows = conn.execute(SQL("SELECT line FROM {} WHERE size = %s ORDER BY witness").format(
            self.tables.name(COSIGNATURES)), (size,)).fetchall()
        return [str(r[0]) for r in rows]

    def cosigned_size(self, conn: Conn, witness: str) -> int:
        row = conn.execute(SQL("SELECT coalesce(max(size), 0) FROM {} WHERE witness = %s").format(
            self.tables.name(COSIGNATURES)), (witness,)).fetchone()
        return int(row[0]) if row else 0
