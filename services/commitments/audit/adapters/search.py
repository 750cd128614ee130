"""Search of changes by actor, unit, kind and date range ("all target reductions approved in Q3").

Runs on the change index with its own indexes, page by page (keyset on the notification id), so its
cost follows the number of matches, never the length of any task's history.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from psycopg.sql import SQL, Composable, Composed, Identifier

from commitments.audit.adapters.schema import CHANGES, AuditTables
from commitments.audit.adapters.store import Conn
from commitments.audit.application.ports import ChangeQuery
from shared.contracts.v1 import EVENT_TYPES
from shared.vn import fold, local_instant

DERIVED_KINDS = {"target_lowered": "target_lowered", "deadline_extended": "deadline_extended"}
KINDS = frozenset(EVENT_TYPES) | frozenset(DERIVED_KINDS)
Basis = Literal["recorded", "effective", "approved"]


def _conditions(q: ChangeQuery) -> tuple[list[Composable], list[Any]]:
    where: list[Composable] = [SQL("notification_id > %s")]
    params: list[Any] = [q.after]
    if q.actor:
        where.append(SQL("(actor_id = %s OR actor_folded LIKE %s)"))
        params += [q.actor, f"%{fold(q.actor)}%"]
    for column, value in (("unit", q.unit), ("actor_unit", q.actor_unit), ("task_id", q.task_id)):
        if value is not None:
            where.append(SQL("{} = %s").format(Identifier(column)))
            params.append(value)
    types = [k for k in q.kinds if k in EVENT_TYPES]
    flags: list[Composable] = [Identifier(DERIVED_KINDS[k]) for k in q.kinds if k in DERIVED_KINDS]
    kinds: list[Composable] = [SQL("kind = ANY(%s)")] if types else []
    params += [types] if types else []
    if kinds or flags:
        where.append(SQL("({})").format(SQL(" OR ").join([*kinds, *flags])))
    where += _date_range(q, params)
    return where, params


def _date_range(q: ChangeQuery, params: list[Any]) -> list[Composable]:
    if q.basis == "approved":
        column, low, high = Identifier("approved_on"), q.start, q.end
    else:
        column = Identifier("recorded_at" if q.basis == "recorded" else "effective_at")
        low = local_instant(q.start) if q.start else None
        high = local_instant(q.end + timedelta(days=1)) if q.end else None
    found: list[Composable] = []
    if low is not None:
        found.append(SQL("{} >= %s").format(column))
        params.append(low)
    if high is not None:
        found.append(SQL("{} <= %s" if q.basis == "approved" else "{} < %s").format(column))
        params.append(high)
    return found


def search_changes(conn: Conn, tables: AuditTables, q: ChangeQuery) -> dict[str, Any]:
    where, params = _conditions(q)
    query: Composed = SQL("SELECT notification_id, position, event FROM {} WHERE {} ORDER BY notification_id "
                          "LIMIT %s").format(tables.name(CHANGES), SQL(" AND ").join(where))
    rows = conn.execute(query, [*params, q.limit + 1]).fetchall()
    page = rows[:q.limit]
    return {"count": len(page), "next_after": page[-1][0] if len(rows) > q.limit else None,
            "changes": [{"notification_id": n, "position": p, **_summary(e)} for n, p, e in page]}


def _summary(event: dict[str, Any]) -> dict[str, Any]:
    keep = ("type", "task_id", "task_ref", "task_version", "unit", "actor", "recorded_at", "effective_at", "reason",
            "approval", "target_lowered", "deadline_extended")
    return {k: event.get(k) for k in keep} | {"event": event}


class ChangeIndex:
    """The change index the sealer writes (indexer.py), searched with plain SQL."""

    def __init__(self, tables: AuditTables) -> None:
        self.tables = tables

    def search(self, conn: Conn, query: ChangeQuery) -> dict[str, Any]:
        return search_changes(conn, self.tables, query)
