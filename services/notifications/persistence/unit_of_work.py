"""The application's unit of work on PostgreSQL: one connection in one transaction, and the stores
(application.ports) over it. The SQL stays in the table modules beside this one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, sql

from notifications.application.ports import AlertFilter, Claimed, StoredAlert
from notifications.domain.alerts import Alert
from notifications.domain.digest import Briefing
from notifications.domain.facts import TaskFacts
from notifications.domain.rules import RuleConfig
from notifications.domain.subscriptions import Subscription
from notifications.persistence import alerts, deliveries, digests, facts, subscriptions
from notifications.persistence.database import Database


class _Table:
    def __init__(self, conn: AsyncConnection[Any]) -> None:
        self.conn = conn


class Facts(_Table):
    async def get(self, task_ids: Sequence[UUID]) -> dict[UUID, TaskFacts]:
        return await facts.get(self.conn, task_ids)

    async def save(self, changed: Sequence[TaskFacts]) -> None:
        await facts.save(self.conn, changed)

    async def due(self, now: datetime, limit: int) -> list[TaskFacts]:
        return await facts.due(self.conn, now, limit)

    async def reschedule(self, next_checks: Sequence[tuple[UUID, datetime | None]]) -> None:
        await facts.reschedule(self.conn, next_checks)

    async def look_again(self, program_year: int | None = None) -> None:
        await facts.look_again(self.conn, program_year)

    async def all_facts(self, org: str) -> list[TaskFacts]:
        return await facts.all_facts(self.conn, org)


class Alerts(_Table):
    async def insert(self, fired: Sequence[Alert], subs: Sequence[Subscription], now: datetime) -> list[Alert]:
        return await alerts.insert(self.conn, fired, subs, now)

    async def fired_keys(self, task_ids: Sequence[UUID]) -> set[tuple[str, UUID, str]]:
        return await alerts.fired_keys(self.conn, task_ids)

    async def get(self, alert_id: UUID) -> StoredAlert | None:
        return await alerts.get(self.conn, alert_id)

    async def find(self, f: AlertFilter, visible_to: str | None, limit: int) -> list[StoredAlert]:
        return await alerts.find(self.conn, f, visible_to, limit)

    async def acknowledge(self, alert_id: UUID, user_id: str, name: str, now: datetime) -> None:
        await alerts.acknowledge(self.conn, alert_id, user_id, name, now)

    async def fired_per_rule(self) -> dict[str, int]:
        return await alerts.fired_per_rule(self.conn)


class Subscriptions(_Table):
    async def active(self) -> list[Subscription]:
        return await subscriptions.active(self.conn)

    async def listing(self) -> list[Subscription]:
        return await subscriptions.listing(self.conn)

    async def get(self, subscription_id: UUID) -> Subscription | None:
        return await subscriptions.get(self.conn, subscription_id)

    async def secret(self, subscription_id: UUID) -> str | None:
        return await subscriptions.secret(self.conn, subscription_id)

    async def save(self, s: Subscription, sealed_secret: str | None, now: datetime) -> None:
        await subscriptions.save(self.conn, s, sealed_secret, now)

    async def delete(self, subscription_id: UUID, now: datetime) -> bool:
        return await subscriptions.delete(self.conn, subscription_id, now)

    async def program_rules(self) -> dict[int, RuleConfig]:
        return await subscriptions.program_rules(self.conn)

    async def save_program_rules(self, year: int, cfg: RuleConfig, user_id: str, now: datetime) -> None:
        await subscriptions.save_program_rules(self.conn, year, cfg, user_id, now)


class Deliveries(_Table):
    async def queue(self, kind: str, pairs: Sequence[tuple[Subscription, UUID]], now: datetime) -> None:
        await deliveries.queue(self.conn, kind, pairs, now)

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
        return await deliveries.claim(self.conn, now, lease_until, limit)

    async def delivered(self, delivery_id: int, now: datetime) -> None:
        await deliveries.delivered(self.conn, delivery_id, now)

    async def failed(self, delivery_id: int, error: str, retry_at: datetime | None) -> None:
        await deliveries.failed(self.conn, delivery_id, error, retry_at)

    async def listing(self, status: str | None, ref_id: UUID | None, limit: int) -> list[dict[str, Any]]:
        return await deliveries.listing(self.conn, status, ref_id, limit)

    async def retry(self, delivery_ids: Sequence[int], now: datetime) -> int:
        return await deliveries.retry(self.conn, delivery_ids, now)


class Digests(_Table):
    async def exists(self, kind: str, period: str) -> bool:
        return await digests.exists(self.conn, kind, period)

    async def insert(self, briefing_id: UUID, b: Briefing, now: datetime) -> bool:
        return await digests.insert(self.conn, briefing_id, b, now)

    async def get(self, briefing_id: UUID) -> dict[str, Any] | None:
        return await digests.get(self.conn, briefing_id)

    async def listing(self, limit: int) -> list[dict[str, Any]]:
        return await digests.listing(self.conn, limit)


class PgUnitOfWork:
    def __init__(self, conn: AsyncConnection[Any]) -> None:
        self.facts, self.alerts, self.subscriptions = Facts(conn), Alerts(conn), Subscriptions(conn)
        self.deliveries, self.digests = Deliveries(conn), Digests(conn)


async def joined(conn: AsyncConnection[Any], schema: str) -> PgUnitOfWork:
    """A unit of work inside a transaction someone else opened (the stream consumer's, on its own
    connection: it commits the stream position with these writes)."""
    await conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
    await conn.execute("SET LOCAL timezone TO 'UTC'")  # as the service's own pool (see Database)
    return PgUnitOfWork(conn)


class PgUnitsOfWork:
    """Opens a unit of work on the service's pool (application.ports.UnitsOfWork)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[PgUnitOfWork]:
        async with self.db.transaction() as conn:
            yield PgUnitOfWork(conn)
