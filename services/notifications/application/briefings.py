"""Sends the weekly and monthly briefing once each, when its time comes (checked on every tick):
composed from task_facts, stored, and queued by e-mail to the Office's and the Board's
subscriptions that ask for it, in one transaction."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from notifications.application.ports import UnitsOfWork
from notifications.application.signals import Signals
from notifications.domain.briefing_periods import BriefingKind, BriefingPeriod, due_briefings
from notifications.domain.clock import Clock
from notifications.domain.digest import Briefing, compose
from shared.catalog import Organisation

BRIEFING_ID_NAMESPACE = uuid5(NAMESPACE_URL, "urn:camket:briefing")
BRIEFED_ROLES = frozenset({"office", "board"})


def briefing_id(org: str, period: BriefingPeriod) -> UUID:
    return uuid5(BRIEFING_ID_NAMESPACE, f"{org}/{period.kind}/{period.code}")


class Briefings:
    def __init__(self, uow: UnitsOfWork, clock: Clock, org: Organisation, *, weekday: int, hour: int,
                 signals: Signals | None = None) -> None:
        self.uow, self.clock, self.org, self.weekday, self.hour = uow, clock, org, weekday, hour
        self.signals = signals

    async def send_due(self) -> list[Briefing]:
        now = self.clock()
        sent: list[Briefing] = []
        for period in due_briefings(now, self.weekday, self.hour):
            async with self.uow() as tx:
                if await tx.digests.exists(period.kind, period.code):
                    continue
                briefing = compose(await tx.facts.all_facts(self.org.code), period, now, self.org)
                ref = briefing_id(self.org.code, period)
                if not await tx.digests.insert(ref, briefing, now):
                    continue  # another replica composed it meanwhile
                subs = [s for s in await tx.subscriptions.active() if s.wants_digest(BRIEFED_ROLES)]
                await tx.deliveries.queue("digest", [(s, ref) for s in subs], now)
                sent.append(briefing)
        if sent and self.signals:
            self.signals.deliveries.set()
        return sent

    async def preview(self, kind: BriefingKind) -> Briefing:
        """The latest period's briefing as it would read now (not stored, not sent)."""
        now = self.clock()
        period = next(p for p in due_briefings(now, self.weekday, self.hour) if p.kind is kind)
        async with self.uow() as tx:
            return compose(await tx.facts.all_facts(self.org.code), period, now, self.org)

    async def recent(self, limit: int) -> list[dict[str, Any]]:
        async with self.uow() as tx:
            return await tx.digests.listing(limit)
