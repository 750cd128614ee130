"""The application's stores in memory (application.ports), for wiring the use cases through
bootstrap without PostgreSQL. A unit of work works on a copy and commits it only when its block
ends without an error, as a transaction would; alerts keep their unique (rule, task, key)."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from notifications.application.ports import AlertFilter, Claimed, StoredAlert
from notifications.domain.alerts import Alert
from notifications.domain.digest import Briefing
from notifications.domain.facts import TaskFacts
from notifications.domain.rules import RuleConfig
from notifications.domain.subscriptions import Subscription

LOOK_NOW = datetime.min.replace(tzinfo=UTC)  # '-infinity': look at the task on the next tick


@dataclass
class State:
    facts: dict[UUID, TaskFacts] = field(default_factory=dict)
    next_check: dict[UUID, datetime | None] = field(default_factory=dict)  # None: no boundary ahead
    alerts: list[StoredAlert] = field(default_factory=list)
    subscriptions: dict[UUID, Subscription] = field(default_factory=dict)
    rules: dict[int, RuleConfig] = field(default_factory=dict)
    queued: list[tuple[str, UUID, UUID]] = field(default_factory=list)  # (kind, subscription, alert or briefing)


class _Store:
    def __init__(self, state: State) -> None:
        self.s = state


class Facts(_Store):
    async def get(self, task_ids: Sequence[UUID]) -> dict[UUID, TaskFacts]:
        return {i: self.s.facts[i] for i in task_ids if i in self.s.facts}

    async def save(self, changed: Sequence[TaskFacts]) -> None:
        for f in changed:
            self.s.facts[f.task_id], self.s.next_check[f.task_id] = f, LOOK_NOW

    async def due(self, now: datetime, limit: int) -> list[TaskFacts]:
        due = [f for i, f in self.s.facts.items() if _due(self.s.next_check.get(i, LOOK_NOW), now)]
        return due[:limit]

    async def reschedule(self, next_checks: Sequence[tuple[UUID, datetime | None]]) -> None:
        self.s.next_check.update(next_checks)

    async def look_again(self, program_year: int | None = None) -> None:
        for i, f in self.s.facts.items():
            if program_year in (None, f.program_year) and f.lifecycle not in ("completed", "cancelled"):
                self.s.next_check[i] = LOOK_NOW

    async def all_facts(self, org: str) -> list[TaskFacts]:
        return sorted((f for f in self.s.facts.values() if f.org == org), key=lambda f: (f.program_year, f.ref))


def _due(at: datetime | None, now: datetime) -> bool:
    return at is not None and at <= now


class Alerts(_Store):
    async def insert(self, fired: Sequence[Alert], subs: Sequence[Subscription], now: datetime) -> list[Alert]:
        taken = {(a.alert.rule, a.alert.task_id, a.alert.key) for a in self.s.alerts}
        new = [a for a in fired if (a.rule, a.task_id, a.key) not in taken]
        for a in new:
            self.s.alerts.append(StoredAlert(len(self.s.alerts) + 1, a, False, None, None, None))
            self.s.queued += [("alert", s.id, a.id) for s in subs if s.wants(a)]
        return new

    async def fired_keys(self, task_ids: Sequence[UUID]) -> set[tuple[str, UUID, str]]:
        return {(a.alert.rule, a.alert.task_id, a.alert.key) for a in self.s.alerts if a.alert.task_id in task_ids}

    async def get(self, alert_id: UUID) -> StoredAlert | None:
        return next((a for a in self.s.alerts if a.alert.id == alert_id), None)

    async def fired_per_rule(self) -> dict[str, int]:
        return dict(Counter(a.alert.rule.value for a in self.s.alerts))

    async def find(self, f: AlertFilter, visible_to: str | None, limit: int) -> list[StoredAlert]:
        def wanted(s: StoredAlert) -> bool:
            a = s.alert
            return ((visible_to is None or a.unit == visible_to or any(r.unit == visible_to for r in a.recipients))
                    and all(want is None or got == want for got, want in (
                        (a.unit, f.unit), (a.rule, f.rule), (a.task_id, f.task_id), (a.severity, f.severity),
                        (a.program_year, f.program_year), (s.acknowledged_at is not None, f.acknowledged)))
                    and (f.before is None or s.seq < f.before))
        return [s for s in reversed(self.s.alerts) if wanted(s)][:limit]

    async def acknowledge(self, alert_id: UUID, user_id: str, name: str, now: datetime) -> None:
        self.s.alerts = [replace(s, acknowledged_at=now, acknowledged_by=user_id, acknowledged_by_name=name)
                         if s.alert.id == alert_id and s.acknowledged_at is None else s for s in self.s.alerts]


class Subscriptions(_Store):
    async def active(self) -> list[Subscription]:
        return [s for s in self.s.subscriptions.values() if s.active]

    async def listing(self) -> list[Subscription]:
        return list(self.s.subscriptions.values())

    async def get(self, subscription_id: UUID) -> Subscription | None:
        return self.s.subscriptions.get(subscription_id)

    async def secret(self, subscription_id: UUID) -> str | None:
        return None

    async def save(self, s: Subscription, sealed_secret: str | None, now: datetime) -> None:
        self.s.subscriptions[s.id] = s

    async def delete(self, subscription_id: UUID, now: datetime) -> bool:
        return self.s.subscriptions.pop(subscription_id, None) is not None

    async def program_rules(self) -> dict[int, RuleConfig]:
        return dict(self.s.rules)

    async def save_program_rules(self, year: int, cfg: RuleConfig, user_id: str, now: datetime) -> None:
        self.s.rules[year] = cfg


class Deliveries(_Store):
    async def queue(self, kind: str, pairs: Sequence[tuple[Subscription, UUID]], now: datetime) -> None:
        self.s.queued += [(kind, s.id, ref) for s, ref in pairs]

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
        return []  # these tests send nothing

    async def delivered(self, delivery_id: int, now: datetime) -> None:
        raise AssertionError("nothing was claimed")

    async def failed(self, delivery_id: int, error: str, retry_at: datetime | None) -> None:
        raise AssertionError("nothing was claimed")

    async def listing(self, status: str | None, ref_id: UUID | None, limit: int) -> list[dict[str, Any]]:
        return [{"kind": k, "subscription_id": s, "ref_id": r} for k, s, r in self.s.queued][:limit]

    async def retry(self, delivery_ids: Sequence[int], now: datetime) -> int:
        return 0


class Digests(_Store):
    async def exists(self, kind: str, period: str) -> bool:
        return False

    async def insert(self, briefing_id: UUID, b: Briefing, now: datetime) -> bool:
        return True

    async def get(self, briefing_id: UUID) -> dict[str, Any] | None:
        return None

    async def listing(self, limit: int) -> list[dict[str, Any]]:
        return []


class MemoryUnitOfWork:
    def __init__(self, state: State) -> None:
        self.state = state
        self.facts, self.alerts, self.subscriptions = Facts(state), Alerts(state), Subscriptions(state)
        self.deliveries, self.digests = Deliveries(state), Digests(state)


class MemoryUnitsOfWork:
    def __init__(self) -> None:
        self.state = State()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[MemoryUnitOfWork]:
        work = MemoryUnitOfWork(copy.deepcopy(self.state))
        yield work
        self.state = work.state  # reached only when the block ended without an error: commit
