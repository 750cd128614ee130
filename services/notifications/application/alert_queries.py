"""Reading and acknowledging alerts, as the principal may: the Office, the Board and the
Inspectorate see every alert; unit staff see the alerts of their unit's tasks and those addressed
to their unit. Acknowledging ("đã xem") is for the Office, the Board and the units an alert is
addressed to; it changes nothing but the alert's own acknowledgement (the first one stands)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from notifications.domain.clock import Clock
from notifications.integration.contract import alert_v1
from notifications.persistence import alerts
from notifications.persistence.database import Database
from shared.auth.tokens import Principal

OVERSEERS = ("office", "board", "inspector")


class NotAllowed(Exception):
    pass


@dataclass(frozen=True)
class AlertFilter:
    unit: str | None = None
    rule: str | None = None
    task_id: UUID | None = None
    severity: str | None = None
    program_year: int | None = None
    acknowledged: bool | None = None
    before: int | None = None  # a `seq` from the previous page


def view(row: dict[str, Any]) -> dict[str, Any]:
    return alert_v1(row).model_dump(mode="json") | {
        "seq": row["seq"], "published": row["published_at"] is not None,
        "acknowledged_at": row["acknowledged_at"].isoformat() if row["acknowledged_at"] else None,
        "acknowledged_by": row["acknowledged_by"], "acknowledged_by_name": row["acknowledged_by_name"]}


def _visibility(p: Principal) -> tuple[list[str], list[object]]:
    if p.has(*OVERSEERS):
        return [], []
    return ["(unit = %s OR recipients @> %s)"], [p.unit, Jsonb([{"unit": p.unit}])]


def _may_see(p: Principal, row: dict[str, Any]) -> bool:
    return p.has(*OVERSEERS) or row["unit"] == p.unit or any(r["unit"] == p.unit for r in row["recipients"])


class AlertQueries:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    async def find(self, p: Principal, f: AlertFilter, limit: int) -> list[dict[str, Any]]:
        where, params = _visibility(p)
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
        async with self.db.transaction() as conn:
            return [view(r) for r in await alerts.listing(conn, where, params, limit)]

    async def get(self, p: Principal, alert_id: UUID) -> dict[str, Any] | None:
        async with self.db.transaction() as conn:
            row = await alerts.get(conn, alert_id)
        return view(row) if row is not None and _may_see(p, row) else None

    async def acknowledge(self, p: Principal, alert_id: UUID) -> dict[str, Any] | None:
        async with self.db.transaction() as conn:
            row = await alerts.get(conn, alert_id)
            if row is None or not _may_see(p, row):
                return None
            if not p.has("office", "board") and not any(r["unit"] == p.unit for r in row["recipients"]):
                raise NotAllowed("only the Office, the Board or a unit the alert is addressed to acknowledges it")
            await alerts.acknowledge(conn, alert_id, p.user_id, p.name, self.clock())
            row = await alerts.get(conn, alert_id)
        return view(row) if row else None
