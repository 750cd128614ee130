"""Task events → task_facts, and the alerts that events fire, in the stream consumer's transaction.

The consumer (shared.stream_consumer, through `integration.task_events`) commits these writes
together with the stream position and the tasks' versions, then acks: a crash anywhere loses
nothing and applies nothing twice. Every change of facts resets the task's `next_check_at`, so the
scheduler looks at it on its next tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from notifications.application.ports import UnitOfWork
from notifications.domain.alerts import Alert, build_alert
from notifications.domain.clock import Clock
from notifications.domain.event_rules import event_firings
from notifications.domain.facts import TaskFacts, apply
from notifications.domain.task_events import TaskEvent
from shared.catalog import Organisation


class FactsProjection:
    def __init__(self, org: Organisation, clock: Clock, horizon: timedelta) -> None:
        self.org, self.clock, self.horizon = org, clock, horizon

    async def apply(self, tx: UnitOfWork, events: Sequence[TaskEvent]) -> None:
        """Folds a batch of events, in order, within the caller's transaction."""
        known = await tx.facts.get(list({e.task_id for e in events}))
        changed: dict[UUID, TaskFacts] = {}
        fired: list[Alert] = []
        now = self.clock()
        for event in events:
            before = known.get(event.task_id)
            after = apply(before, event)
            if after is None or after is before:
                continue
            known[event.task_id] = changed[event.task_id] = after
            if now - event.recorded_at <= self.horizon:  # a replay of old history fires nothing
                fired += [build_alert(f, after, self.org, now) for f in event_firings(event)]
        await tx.facts.save(list(changed.values()))
        if fired:
            await tx.alerts.insert(fired, await tx.subscriptions.active(), now)
