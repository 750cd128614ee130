"""The delivery worker: claims due deliveries, sends them (webhook or e-mail) concurrently, and
records each outcome. A failure only reschedules its own delivery (backoff) or, after the last
allowed attempt, leaves it in the dead letters; nothing here ever holds up the consumer or the
scheduler, and the alert itself stays stored and published whatever happens to its deliveries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from notifications.application.mail import alert_email
from notifications.application.ports import (
    Cipher,
    Claimed,
    DeliveryFailed,
    EmailChannel,
    SecretUnusable,
    StoredAlert,
    UnitOfWork,
    UnitsOfWork,
    WebhookChannel,
)
from notifications.application.signals import Nudge
from notifications.domain.clock import Clock
from notifications.domain.retry import RetryPolicy
from shared.catalog import Organisation

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Payload:
    """What one claimed delivery carries: a briefing's mail, or an alert (with its webhook's secret)."""

    alert: StoredAlert | None = None
    subject: str = ""
    body: str = ""
    secret: str | None = None
    secret_unusable: bool = False


class DeliveryWorker:
    def __init__(self, uow: UnitsOfWork, clock: Clock, *, webhook: WebhookChannel, email: EmailChannel,
                 policy: RetryPolicy, org: Organisation, lease: timedelta, cipher: Cipher,
                 batch: int = 20) -> None:
        self.uow, self.clock, self.webhook, self.email, self.cipher = uow, clock, webhook, email, cipher
        self.policy, self.org, self.lease, self.batch = policy, org, lease, batch

    async def run_once(self) -> int:
        """Attempts one batch of due deliveries; returns how many were attempted."""
        now = self.clock()
        async with self.uow() as tx:
            claimed = await tx.deliveries.claim(now, now + self.lease, self.batch)
            payloads = [await self._payload(tx, c) for c in claimed]
        outcomes = await asyncio.gather(*(self._attempt(c, p) for c, p in zip(claimed, payloads, strict=True)))
        await self._record(claimed, outcomes)
        return len(claimed)

    async def _payload(self, tx: UnitOfWork, c: Claimed) -> Payload | None:
        if c.kind == "digest":
            row = await tx.digests.get(c.ref_id)
            return Payload(subject=row["subject"], body=row["body"]) if row else None
        alert = await tx.alerts.get(c.ref_id)
        if alert is None or c.channel != "webhook":
            return Payload(alert=alert) if alert else None
        stored = await tx.subscriptions.secret(c.subscription_id)
        try:
            return Payload(alert=alert, secret=self.cipher.open(c.subscription_id, stored) if stored else None)
        except SecretUnusable:  # another key than the one it was sealed with: this delivery fails alone
            return Payload(alert=alert, secret_unusable=True)

    async def _attempt(self, c: Claimed, payload: Payload | None) -> str | None:
        """None when delivered, else why not."""
        if payload is None:
            return f"the {c.kind} {c.ref_id} is gone"
        if payload.secret_unusable:
            return "khóa ký của webhook không giải mã được bằng khóa hiện tại của máy chủ"
        try:
            if payload.alert is None:
                await self.email.send(c.address, payload.subject, payload.body, _message_id(c))
            elif c.channel == "webhook":
                await self.webhook.send(c.address, payload.secret or "", c.id, payload.alert.alert)
            else:
                subject, text = alert_email(payload.alert.alert, self.org)
                await self.email.send(c.address, subject, text, _message_id(c))
        except DeliveryFailed as error:
            return str(error)
        return None

    async def _record(self, claimed: Sequence[Claimed], outcomes: Sequence[str | None]) -> None:
        now = self.clock()
        async with self.uow() as tx:
            for c, error in zip(claimed, outcomes, strict=True):
                if error is None:
                    await tx.deliveries.delivered(c.id, now)
                    continue
                retry_at = self.policy.retry_at(c.attempts + 1, now)
                await tx.deliveries.failed(c.id, error, retry_at)
                log.log(logging.WARNING if retry_at else logging.ERROR, "delivery %d (%s to %s) failed: %s; %s",
                        c.id, c.channel, c.address, error, f"retry at {retry_at:%H:%M:%S}" if retry_at else "dead")

    async def run(self, stop: asyncio.Event, nudge: Nudge, poll: float) -> None:
        while not stop.is_set():
            try:
                if await self.run_once() == self.batch:
                    continue
            except Exception:  # PostgreSQL away: claims lapse and come back
                log.exception("delivery worker failed; retrying")
            await nudge.wait(poll)


def _message_id(c: Claimed) -> str:
    return f"<camket-{c.kind}-{c.ref_id}-{c.subscription_id}@camket>"
