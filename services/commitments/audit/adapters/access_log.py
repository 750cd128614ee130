"""The access log in PostgreSQL: appended under a transaction advisory lock, so the chain follows the ids
(the chain itself, and what it proves, is domain/access.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from psycopg.sql import SQL, Literal
from psycopg.types.json import Jsonb

from commitments.audit.adapters.schema import ACCESS_LOG, AuditTables
from commitments.audit.adapters.store import Conn
from commitments.audit.domain.access import COLUMNS, GENESIS, chain_findings, chain_of, new_row
from commitments.audit.domain.findings import Finding
from shared.auth.tokens import Principal

_COLUMNS = ", ".join(COLUMNS)


class AccessLog:
    def __init__(self, tables: AuditTables) -> None:
        self.tables = tables

    def record(self, conn: Conn, principal: Principal, *, view: str, subject: str | None, query: dict[str, Any],
               outcome: int, raw_query: bytes = b"") -> None:
        tables, table = self.tables, self.tables.name(ACCESS_LOG)
        with conn.transaction():
            conn.execute(SQL("SELECT pg_advisory_xact_lock(hashtext({}))").format(
                Literal(f"{tables.schema}.{ACCESS_LOG}")))
            last = conn.execute(SQL("SELECT chain FROM {} ORDER BY id DESC LIMIT 1").format(table)).fetchone()
            prev = bytes(last[0]) if last and last[0] is not None else GENESIS
            (next_id,) = conn.execute(SQL("SELECT nextval(pg_get_serial_sequence({}, 'id'))").format(
                Literal(f"{tables.schema}.{ACCESS_LOG}"))).fetchone() or (None,)
            row = new_row(next_id, datetime.now(UTC), principal, view=view, subject=subject, query=query,
                          outcome=outcome, raw_query=raw_query)
            conn.execute(SQL("INSERT INTO {} (" + _COLUMNS + ") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                             "%s, %s)").format(table),
                         (*(row[k] for k in COLUMNS[:8]), Jsonb(row["query"]), outcome, raw_query, prev,
                          chain_of(prev, row)))

    def entries(self, conn: Conn, *, user: str | None = None, since: datetime | None = None,
                before_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first; page with `before_id`."""
        rows = conn.execute(
            SQL("SELECT id, at, user_id, user_name, user_unit, roles, view, subject, query, outcome FROM {} "
                "WHERE (%s::text IS NULL OR user_id = %s) AND (%s::timestamptz IS NULL OR at >= %s) "
                "AND (%s::bigint IS NULL OR id < %s) ORDER BY id DESC LIMIT %s").format(self.tables.name(ACCESS_LOG)),
            (user, user, since, since, before_id, before_id, limit)).fetchall()
        keys = ("id", "at", "user_id", "user_name", "user_unit", "roles", "view", "subject", "query", "outcome")
        return [dict(zip(keys, row, strict=True)) | {"at": row[1].isoformat()} for row in rows]

    def _rows(self, conn: Conn) -> Iterator[dict[str, Any]]:
        cursor = conn.execute(SQL("SELECT " + _COLUMNS + " FROM {} ORDER BY id").format(self.tables.name(ACCESS_LOG)))
        for values in cursor:
            yield dict(zip(COLUMNS, values, strict=True))

    def verify_chain(self, conn: Conn) -> tuple[int, list[Finding]]:
        """(rows checked, findings): see domain/access.py."""
        return chain_findings(list(self._rows(conn)))
