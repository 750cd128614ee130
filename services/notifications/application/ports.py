"""What the use cases need from the world, as they name it; `persistence/` and `integration/`
implement it and `bootstrap.py` wires the two. A use case opens one unit of work per transaction:
everything it reads and writes through the stores of that unit commits together or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from typing import Any, Protocol
from uuid import UUID

from notifications.domain.alerts import Alert
from notifications.domain.digest import Briefing
from notifications.domain.facts import TaskFacts
from notifications.domain.rules import RuleConfig
from notifications.domain.subscriptions import Subscription


class DeliveryFailed(Exception):
    """A channel could not deliver; the message says why, in Vietnamese, for the delivery log."""


class SecretUnusable(ValueError):
    """A webhook's stored secret does not open with the server's current key."""


@dataclass(frozen=True, slots=True)
class StoredAlert:
    seq: int  # the order of firing: pages and the outbox follow it
    alert: Alert
    published: bool
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledged_by_name: str | None


@dataclass(frozen=True, slots=True)
class AlertFilter:
    unit: str | None = None
    rule: str | None = None
    task_id: UUID | None = None
    severity: str | None = None
    program_year: int | None = None
    acknowledged: bool | None = None
    before: int | None = None  # a `seq` from the previous page


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    subscription_id: UUID
    kind: str  # alert | digest
    ref_id: UUID
    channel: str
    address: str
    attempts: int


class FactsStore(Protocol):
    async def get(self, task_ids: Sequence[UUID]) -> dict[UUID, TaskFacts]: ...
    async def save(self, changed: Sequence[TaskFacts]) -> None: ...  # and look at them on the next tick
    async def due(self, now: datetime, limit: int) -> list[TaskFacts]: ...  # held until commit
    async def reschedule(self, next_checks: Sequence[tuple[UUID, datetime | None]]) -> None: ...
    async def look_again(self, program_year: int | None = None) -> None: ...
    async def all_facts(self, org: str) -> list[TaskFacts]: ...


class AlertStore(Protocol):
    async def insert(self, alerts: Sequence[Alert], subscriptions: Sequence[Subscription],
                     now: datetime) -> list[Alert]: ...  # the new ones, with their deliveries queued
    async def fired_keys(self, task_ids: Sequence[UUID]) -> set[tuple[str, UUID, str]]: ...
    async def get(self, alert_id: UUID) -> StoredAlert | None: ...
    async def find(self, f: AlertFilter, visible_to: str | None, limit: int) -> list[StoredAlert]: ...
    async def acknowledge(self, alert_id: UUID, user_id: str, name: str, now: datetime) -> None: ...
    async def fired_per_rule(self) -> dict[str, int]: ...  # every alert ever stored, counted by rule (metrics)


class SubscriptionStore(Protocol):
    async def active(self) -> list[Subscription]: ...
    async def listing(self) -> list[Subscription]: ...
    async def get(self, subscription_id: UUID) -> Subscription | None: ...
    async def secret(self, subscription_id: UUID) -> str | None: ...  # sealed
    async def save(self, s: Subscription, sealed_secret: str | None, now: datetime) -> None: ...
    async def delete(self, subscription_id: UUID, now: datetime) -> bool: ...
    async def program_rules(self) -> dict[int, RuleConfig]: ...
    async def save_program_rules(self, year: int, cfg: RuleConfig, user_id: str, now: datetime) -> None: ...


class DeliveryStore(Protocol):
    async def queue(self, kind: str, pairs: Sequence[tuple[Subscription, UUID]], now: datetime) -> None: ...
    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]: ...
    async def delivered(self, delivery_id: int, now: datetime) -> None: ...
    async def failed(self, delivery_id: int, error: str, retry_at: datetime | None) -> None: ...
    async def listing(self, status: str | None, ref_id: UUID | None, limit: int) -> list[dict[str, Any]]: ...
    async def retry(self, delivery_ids: Sequence[int], now: datetime) -> int: ...


class DigestStore(Protocol):
    async def exists(self, kind: str, period: str) -> bool: ...
    async def insert(self, briefing_id: UUID, b: Briefing, now: datetime) -> bool: ...  # False: already there
    async def get(self, briefing_id: UUID) -> dict[str, Any] | None: ...
    async def listing(self, limit: int) -> list[dict[str, Any]]: ...


class UnitOfWork(Protocol):
    @property
    def facts(self) -> FactsStore: ...
    @property
    def alerts(self) -> AlertStore: ...
    @property
    def subscriptions(self) -> SubscriptionStore: ...
    @property
    def deliveries(self) -> DeliveryStore: ...
    @property
    def digests(self) -> DigestStore: ...


class UnitsOfWork(Protocol):
    """Opens a transaction: committed when the block ends normally, rolled back when it raises."""

    def __call__(self) -> AbstractAsyncContextManager[UnitOfWork]: ...


class Cipher(Protocol):
    @property
    def sealed_prefix(self) -> str: ...  # every sealed value starts with it: a secret without it is in clear
    def seal(self, subscription_id: UUID, secret: str) -> str: ...
    def open(self, subscription_id: UUID, stored: str) -> str: ...  # raises SecretUnusable


class AddressPolicy(Protocol):
    def refusal(self, address: IPv4Address | IPv6Address) -> str | None: ...  # why not, or None


class WebhookChannel(Protocol):
    async def send(self, url: str, secret: str, delivery_id: int, alert: Alert) -> None: ...  # DeliveryFailed


class EmailChannel(Protocol):
    async def send(self, to: str, subject: str, text: str, message_id: str) -> None: ...  # DeliveryFailed
