"""Subscriptions: who gets which alerts, by role, by unit and by rule, over which channel.

An empty filter means "any". A subscription takes an alert when the rule passes its filter and one
of the alert's recipients has a role it asks for, in a unit it asks for (or the task itself belongs
to one of its units: a system that follows one unit hears about all of that unit's tasks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from notifications.domain.alerts import Alert, Recipient

DIGEST = "digest"  # the rule name a subscription lists to receive the weekly and monthly briefing


class Channel(StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"


@dataclass(frozen=True)
class Subscription:
    id: UUID
    name: str
    channel: Channel
    address: str  # the webhook's URL or the mailbox
    roles: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    active: bool = True
    created_at: datetime | None = None
    created_by: str | None = None

    def wants_rule(self, rule: str) -> bool:
        return not self.rules or rule in self.rules

    def wants(self, alert: Alert) -> bool:
        if not self.active or not self.wants_rule(alert.rule):
            return False
        task_unit = not self.units or alert.unit in self.units
        return any(self._addressed(r, task_unit) for r in alert.recipients)

    def wants_digest(self, board_or_office: frozenset[str]) -> bool:
        """The briefing goes by e-mail to subscriptions of the Office and the Board that ask for it
        (by naming the digest among their rules, or by taking every rule)."""
        return (self.active and self.channel is Channel.EMAIL and self.wants_rule(DIGEST)
                and bool(board_or_office.intersection(self.roles)))

    def _addressed(self, r: Recipient, task_unit: bool) -> bool:
        role_ok = not self.roles or r.role in self.roles
        return role_ok and (task_unit or r.unit in self.units)
