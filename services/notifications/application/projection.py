"""Task events → task_facts, and the alerts that events fire, in the stream consumer's transaction.

The consumer (shared.stream_consumer) commits these writes together with the stream position and
the tasks' versions, then acks: a crash anywhere loses nothing and applies nothing twice. Every
change of facts resets the task's `next_check_at`, so the scheduler looks at it on its next tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, sql

from notifications.domain.alerts import Alert, build_alert
from notifications.domain.clock import Clock
from notifications.domain.event_rules import event_firings
from notifications.domain.facts import TaskFacts, apply
from notifications.persistence import alerts, facts, subscriptions
from shared.catalog import Organisation
from shared.stream_consumer import Delivery


class FactsProjection:
    def __init__(self, schema: str, org: Organisation, clock: Clock, horizon: timedelta) -> None:
        self.schema, self.org, self.clock, self.horizon = schema, org, clock, horizon

    async def apply(self, conn: AsyncConnection[Any], deliveries: Sequence[Delivery]) -> None:
        await conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(self.schema)))
        await conn.execute("SET LOCAL timezone TO 'UTC'")  # as the service's own pool (see Database)
        known = await facts.get(conn, list({d.task_id for d in deliveries}))
        changed: dict[UUID, TaskFacts] = {}
        fired: list[Alert] = []
        now = self.clock()
        for d in deliveries:
            before = known.get(d.task_id)
            after = apply(before, d.event)
            if after is None or after is before:
                continue
            known[d.task_id] = changed[d.task_id] = after
            if now - d.event.recorded_at <= self.horizon:  # a replay of old history fires nothing
                fired += [build_alert(f, after, self.org, now) for f in event_firings(d.event)]
        await facts.save(conn, list(changed.values()))
        if fired:
            await alerts.insert(conn, fired, await subscriptions.active(conn), now)
