"""Inspections are inspected: every read of an audit view, allowed or refused, is recorded.

Only the Inspectorate (`inspector`) and the Board (`board`) read the audit views. A record says who
(user id, name, unit, roles), when, which view, about what (a task id, a unit, a period), with which
query, and the HTTP status of the answer. The table is append-only like the events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.sql import SQL
from psycopg.types.json import Jsonb

from commitments.audit.schema import ACCESS_LOG, AuditTables
from commitments.audit.store import Conn
from shared.auth.tokens import Principal

AUDIT_ROLES = ("inspector", "board")


def may_read_audit(principal: Principal) -> bool:
    return principal.has(*AUDIT_ROLES)


def record_access(conn: Conn, tables: AuditTables, principal: Principal, *, view: str, subject: str | None,
                  query: dict[str, Any], outcome: int) -> None:
    conn.execute(SQL("INSERT INTO {} (user_id, user_name, user_unit, roles, view, subject, query, outcome) "
                     "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)").format(tables.name(ACCESS_LOG)),
                 (principal.user_id, principal.name, principal.unit, sorted(principal.roles), view, subject,
                  Jsonb(query), outcome))


def access_entries(conn: Conn, tables: AuditTables, *, user: str | None = None, since: datetime | None = None,
                   before_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Newest first; page with `before_id`."""
    rows = conn.execute(
        SQL("SELECT id, at, user_id, user_name, user_unit, roles, view, subject, query, outcome FROM {} "
            "WHERE (%s::text IS NULL OR user_id = %s) AND (%s::timestamptz IS NULL OR at >= %s) "
            "AND (%s::bigint IS NULL OR id < %s) ORDER BY id DESC LIMIT %s").format(tables.name(ACCESS_LOG)),
        (user, user, since, since, before_id, before_id, limit)).fetchall()
    keys = ("id", "at", "user_id", "user_name", "user_unit", "roles", "view", "subject", "query", "outcome")
    return [dict(zip(keys, row, strict=True)) | {"at": row[1].isoformat()} for row in rows]
