"""Alerts: inserted once (the unique key drops a second firing), with a delivery row per interested
subscription in the same transaction; listed, acknowledged, and drained by the outbox publisher."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, pq
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from notifications.application.ports import AlertFilter, StoredAlert
from notifications.domain.alerts import Alert, Recipient
from notifications.domain.rules import Rule, Severity
from notifications.domain.subscriptions import Subscription
from notifications.persistence import deliveries

_FIELDS = "id, org, rule, dedup_key, task_id, task_ref, program_year, unit, recipients, severity, message, detail, " \
          "boundary_at, fired_at"
# A first tick stores alerts by the thousand: COPY into a scratch table and one INSERT ... SELECT is
# many times faster than binding arrays (psycopg escapes every element of a text array in Python).
_SCRATCH = """CREATE TEMP TABLE IF NOT EXISTS alerts_incoming (
    id uuid, org text, rule text, dedup_key text, task_id uuid, task_ref text, program_year integer, unit text,
    recipients jsonb, severity text, message text, detail jsonb, boundary_at timestamptz, fired_at timestamptz
) ON COMMIT DELETE ROWS"""
# The stream consumer's batch runs in pipeline mode, where COPY is not allowed; events fire few alerts.
_BOUND = f"""INSERT INTO alerts ({_FIELDS})
SELECT * FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[], %s::uuid[], %s::text[], %s::int[],
                     %s::text[], %s::jsonb[], %s::text[], %s::text[], %s::jsonb[], %s::timestamptz[],
                     %s::timestamptz[])
ON CONFLICT DO NOTHING RETURNING id"""
COLUMNS = ("seq, id, org, rule, dedup_key, task_id, task_ref, program_year, unit, recipients, severity, message, "
           "detail, boundary_at, fired_at, published_at, acknowledged_at, acknowledged_by, acknowledged_by_name")


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _json(value: object) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False)


async def insert(conn: AsyncConnection[Any], alerts: Sequence[Alert], subscriptions: Sequence[Subscription],
                 now: datetime) -> list[Alert]:
    """Stores the alerts not stored yet and queues their deliveries; returns the new ones."""
    if not alerts:
        return []
    rows = [(a.id, a.org, a.rule.value, a.key, a.task_id, a.task_ref, a.program_year, a.unit,
             _json([{"role": r.role, "unit": r.unit} for r in a.recipients]), a.severity.value, a.message,
             _json(a.detail), a.boundary_at, a.fired_at) for a in alerts]
    if conn.pgconn.pipeline_status == pq.PipelineStatus.OFF:
        new_ids = await _insert_copied(conn, rows)
    else:
        cur = await conn.execute(_BOUND, [list(column) for column in zip(*rows, strict=True)])
        new_ids = {row[0] for row in await cur.fetchall()}
    new = [a for a in alerts if a.id in new_ids]
    pairs = [(s, a) for a in new for s in subscriptions if s.wants(a)]
    await deliveries.queue(conn, "alert", [(s, a.id) for s, a in pairs], now)
    return new


async def _insert_copied(conn: AsyncConnection[Any], rows: Sequence[tuple[object, ...]]) -> set[UUID]:
    await conn.execute(_SCRATCH)
    async with conn.cursor() as cur:
        async with cur.copy(f"COPY alerts_incoming ({_FIELDS}) FROM STDIN") as copy:
            for row in rows:
                await copy.write_row(row)
        await cur.execute(f"INSERT INTO alerts ({_FIELDS}) SELECT {_FIELDS} FROM alerts_incoming "
                          "ORDER BY boundary_at, rule ON CONFLICT DO NOTHING RETURNING id")
        new_ids = {row[0] for row in await cur.fetchall()}
        await cur.execute("TRUNCATE alerts_incoming")  # a second batch in the same transaction starts empty
    return new_ids


async def fired_keys(conn: AsyncConnection[Any], task_ids: Sequence[UUID]) -> set[tuple[str, UUID, str]]:
    """(rule, task id, key) of the alerts these tasks have had: a tick need not compose them again."""
    cur = await conn.execute("SELECT rule, task_id, dedup_key FROM alerts WHERE task_id = ANY(%s)", (list(task_ids),))
    return {(rule, task_id, key) for rule, task_id, key in await cur.fetchall()}


async def fired_per_rule(conn: AsyncConnection[Any]) -> dict[str, int]:
    cur = await conn.execute("SELECT rule, count(*) FROM alerts GROUP BY rule")
    return {str(rule): int(n) for rule, n in await cur.fetchall()}


def stored(row: dict[str, Any]) -> StoredAlert:
    alert = Alert(id=row["id"], org=row["org"], rule=Rule(row["rule"]), key=row["dedup_key"], task_id=row["task_id"],
                  task_ref=row["task_ref"], program_year=row["program_year"], unit=row["unit"],
                  recipients=tuple(Recipient(r["role"], r["unit"]) for r in row["recipients"]),
                  severity=Severity(row["severity"]), message=row["message"], boundary_at=row["boundary_at"],
                  fired_at=row["fired_at"], detail=row["detail"])
    return StoredAlert(seq=row["seq"], alert=alert, published=row["published_at"] is not None,
                       acknowledged_at=row["acknowledged_at"], acknowledged_by=row["acknowledged_by"],
                       acknowledged_by_name=row["acknowledged_by_name"])


async def get(conn: AsyncConnection[Any], alert_id: UUID) -> StoredAlert | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {COLUMNS} FROM alerts WHERE id = %s", (alert_id,))
        row = await cur.fetchone()
        return stored(row) if row else None


async def find(conn: AsyncConnection[Any], f: AlertFilter, visible_to: str | None, limit: int) -> list[StoredAlert]:
    """Newest first; `visible_to` a unit: only its tasks' alerts and those addressed to it."""
    where: list[str] = []
    params: list[object] = []
    if visible_to is not None:
        where.append("(unit = %s OR recipients @> %s)")
        params += [visible_to, Jsonb([{"unit": visible_to}])]
    for column, value in (("unit", f.unit), ("rule", f.rule), ("task_id", f.task_id),
                          ("severity", f.severity), ("program_year", f.program_year)):
        if value is not None:
            where.append(f"{column} = %s")
            params.append(value)
    if f.acknowledged is not None:
        where.append("acknowledged_at IS NOT NULL" if f.acknowledged else "acknowledged_at IS NULL")
    if f.before is not None:
        where.append("seq < %s")
        params.append(f.before)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {COLUMNS} FROM alerts {clause} ORDER BY seq DESC LIMIT %s", [*params, limit])
        return [stored(r) for r in await cur.fetchall()]


async def acknowledge(conn: AsyncConnection[Any], alert_id: UUID, user_id: str, name: str,
                      now: datetime) -> None:
    """The first acknowledgement stands; a repeated one changes nothing."""
    await conn.execute("UPDATE alerts SET acknowledged_at = %s, acknowledged_by = %s, acknowledged_by_name = %s "
                       "WHERE id = %s AND acknowledged_at IS NULL", (now, user_id, name, alert_id))


async def unpublished(conn: AsyncConnection[Any], limit: int) -> list[StoredAlert]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {COLUMNS} FROM alerts WHERE published_at IS NULL ORDER BY seq LIMIT %s "
                          "FOR UPDATE SKIP LOCKED", (limit,))
        return [stored(r) for r in await cur.fetchall()]


async def mark_published(conn: AsyncConnection[Any], ids: Sequence[UUID], now: datetime) -> None:
    await conn.execute("UPDATE alerts SET published_at = %s WHERE id = ANY(%s)", (now, list(ids)))
