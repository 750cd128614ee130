"""Reading and acknowledging alerts, as the principal may: the Office, the Board and the
Inspectorate see every alert; unit staff see the alerts of their unit's tasks and those addressed
to their unit. Acknowledging ("đã xem") is for the Office, the Board and the units an alert is
addressed to; it changes nothing but the alert's own acknowledgement (the first one stands)."""

from __future__ import annotations

from uuid import UUID

from notifications.application.ports import AlertFilter, StoredAlert, UnitsOfWork
from notifications.domain.clock import Clock
from shared.auth.tokens import Principal

__all__ = ["AlertFilter", "AlertQueries", "NotAllowed"]

OVERSEERS = ("office", "board", "inspector")


class NotAllowed(Exception):
    pass


def _visible_to(p: Principal) -> str | None:
    """None: every alert; else the unit whose alerts (of its tasks, or addressed to it) are visible."""
    return None if p.has(*OVERSEERS) else p.unit


def _may_see(p: Principal, stored: StoredAlert) -> bool:
    a = stored.alert
    return p.has(*OVERSEERS) or a.unit == p.unit or any(r.unit == p.unit for r in a.recipients)


class AlertQueries:
    def __init__(self, uow: UnitsOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def find(self, p: Principal, f: AlertFilter, limit: int) -> list[StoredAlert]:
        async with self.uow() as tx:
            return await tx.alerts.find(f, _visible_to(p), limit)

    async def get(self, p: Principal, alert_id: UUID) -> StoredAlert | None:
        async with self.uow() as tx:
            found = await tx.alerts.get(alert_id)
        return found if found is not None and _may_see(p, found) else None

    async def acknowledge(self, p: Principal, alert_id: UUID) -> StoredAlert | None:
        async with self.uow() as tx:
            found = await tx.alerts.get(alert_id)
            if found is None or not _may_see(p, found):
                return None
            if not p.has("office", "board") and not any(r.unit == p.unit for r in found.alert.recipients):
                raise NotAllowed("only the Office, the Board or a unit the alert is addressed to acknowledges it")
            await tx.alerts.acknowledge(alert_id, p.user_id, p.name, self.clock())
            return await tx.alerts.get(alert_id)
