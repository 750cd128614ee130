"""Managing subscriptions and per-program rule settings (the Office's job), with the checks that
need the organisation's catalogue: unit codes must exist, addresses must suit their channel."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from notifications.application.ports import AddressPolicy, Cipher, UnitsOfWork
from notifications.domain.clock import Clock
from notifications.domain.rules import RuleConfig
from notifications.domain.subscriptions import Channel, Subscription
from shared.auth.tokens import Principal
from shared.catalog import Organisation


class InvalidSubscription(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def view(s: Subscription) -> dict[str, Any]:
    return {"id": str(s.id), "name": s.name, "channel": s.channel.value, "address": s.address,
            "roles": list(s.roles), "units": list(s.units), "rules": list(s.rules), "active": s.active,
            "created_at": s.created_at.isoformat() if s.created_at else None, "created_by": s.created_by}


def _new_secret(sub: Subscription, existing: Subscription | None) -> str | None:
    """A webhook needs a key to sign with; one that had a key keeps it unless given a new one."""
    needed = sub.channel is Channel.WEBHOOK and (existing is None or existing.channel is not Channel.WEBHOOK)
    return secrets.token_urlsafe(32) if needed else None


class SubscriptionAdmin:
    def __init__(self, uow: UnitsOfWork, clock: Clock, org: Organisation, cipher: Cipher,
                 egress: AddressPolicy) -> None:
        self.uow, self.clock, self.org, self.cipher, self.egress = uow, clock, org, cipher, egress

    def check_address(self, sub: Subscription) -> None:
        """A webhook URL naming a refused address outright is refused now (names are checked on delivery)."""
        if sub.channel is not Channel.WEBHOOK:
            return
        host = (urlsplit(sub.address).hostname or "").strip("[]")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return
        reason = self.egress.refusal(address)
        if reason is not None:
            raise InvalidSubscription(f"webhooks may not be sent to {address} ({reason}) unless the operator "
                                      "allows it (CAMKET_NOTIFICATIONS_WEBHOOK_ALLOW_NETWORKS)", "address")

    def check_units(self, units: list[str]) -> None:
        unknown = [u for u in units if self.org.unit(u) is None]
        if unknown:
            raise InvalidSubscription(f"unknown unit codes {unknown}", "units")

    async def save(self, p: Principal, sub: Subscription, secret: str | None, *,
                   replacing: bool) -> tuple[dict[str, Any], str | None] | None:
        """Creates or replaces one; returns its view and the webhook secret if one was made for it."""
        self.check_units(list(sub.units))
        self.check_address(sub)
        now = self.clock()
        async with self.uow() as tx:
            existing = await tx.subscriptions.get(sub.id)
            if replacing and existing is None:
                return None
            made = _new_secret(sub, existing) if secret is None else None
            sub = replace(sub, created_at=existing.created_at if existing else now,
                          created_by=existing.created_by if existing else p.user_id)
            clear = secret or made
            await tx.subscriptions.save(sub, self.cipher.seal(sub.id, clear) if clear else None, now)
        return view(sub), made

    async def subscriptions(self) -> list[dict[str, Any]]:
        async with self.uow() as tx:
            return [view(s) for s in await tx.subscriptions.listing()]

    async def get(self, subscription_id: UUID) -> dict[str, Any] | None:
        async with self.uow() as tx:
            found = await tx.subscriptions.get(subscription_id)
        return view(found) if found else None

    async def delete(self, subscription_id: UUID) -> bool:
        async with self.uow() as tx:
            return await tx.subscriptions.delete(subscription_id, self.clock())

    async def deliveries(self, status: str | None, ref_id: UUID | None, limit: int) -> list[dict[str, Any]]:
        async with self.uow() as tx:
            rows = await tx.deliveries.listing(status, ref_id, limit)
        return [{k: (v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, UUID) else v)
                 for k, v in row.items()} for row in rows]

    async def retry(self, delivery_ids: list[int]) -> int:
        """Puts dead letters back in the queue (a fixed receiver, a corrected address)."""
        async with self.uow() as tx:
            return await tx.deliveries.retry(delivery_ids, self.clock())

    async def program_rules(self, year: int, default: RuleConfig) -> tuple[RuleConfig, bool]:
        async with self.uow() as tx:
            configs = await tx.subscriptions.program_rules()
        return configs.get(year, default), year in configs

    async def set_program_rules(self, p: Principal, year: int, cfg: RuleConfig) -> datetime:
        """Stores the settings and has every open task of the program looked at again on the next tick."""
        now = self.clock()
        async with self.uow() as tx:
            await tx.subscriptions.save_program_rules(year, cfg, p.user_id, now)
            await tx.facts.look_again(year)
        return now
