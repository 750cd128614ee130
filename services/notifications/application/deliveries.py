"""The delivery worker: claims due deliveries, sends them (webhook or e-mail) concurrently, and
records each outcome. A failure only reschedules its own delivery (backoff) or, after the last
allowed attempt, leaves it in the dead letters; nothing here ever holds up the consumer or the
scheduler, and the alert itself stays stored and published whatever happens to its deliveries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from notifications.application.mail import alert_email
from notifications.application.signals import Nudge
from notifications.domain.clock import Clock
from notifications.domain.retry import RetryPolicy
from notifications.integration.contract import alert_envelope, alert_v1
from notifications.integration.email import EmailSender
from notifications.integration.secrets import SecretCipher, SecretKeyError
from notifications.integration.webhook import DeliveryFailed, WebhookSender
from notifications.persistence import alerts, deliveries, digests, subscriptions
from notifications.persistence.database import Database
from notifications.persistence.deliveries import Claimed
from shared.catalog import Organisation

log = logging.getLogger(__name__)


class DeliveryWorker:
    def __init__(self, db: Database, clock: Clock, *, webhook: WebhookSender, email: EmailSender,
                 policy: RetryPolicy, org: Organisation, lease: timedelta, cipher: SecretCipher,
                 batch: int = 20) -> None:
        self.db, self.clock, self.webhook, self.email, self.cipher = db, clock, webhook, email, cipher
        self.policy, self.org, self.lease, self.batch = policy, org, lease, batch

    async def run_once(self) -> int:
        """Attempts one batch of due deliveries; returns how many were attempted."""
        now = self.clock()
        async with self.db.transaction() as conn:
            claimed = await deliveries.claim(conn, now, now + self.lease, self.batch)
            payloads = [await self._payload(conn, c) for c in claimed]
        outcomes = await asyncio.gather(*(self._attempt(c, p) for c, p in zip(claimed, payloads, strict=True)))
        await self._record(claimed, outcomes)
        return len(claimed)

    async def _payload(self, conn: Any, c: Claimed) -> dict[str, Any] | None:
        if c.kind == "digest":
            return await digests.get(conn, c.ref_id)
        row = await alerts.get(conn, c.ref_id)
        if row is not None and c.channel == "webhook":
            stored = await subscriptions.secret(conn, c.subscription_id)
            try:
                row = row | {"secret": self.cipher.open(c.subscription_id, stored) if stored else None}
            except SecretKeyError:  # another key than the one it was sealed with: this delivery fails alone
                row = row | {"secret": None, "secret_unusable": True}
        return row

    async def _attempt(self, c: Claimed, payload: dict[str, Any] | None) -> str | None:
        """None when delivered, else why not."""
        if payload is None:
            return f"the {c.kind} {c.ref_id} is gone"
        if payload.get("secret_unusable"):
            return "khóa ký của webhook không giải mã được bằng khóa hiện tại của máy chủ"
        try:
            if c.kind == "digest":
                await self.email.send(c.address, payload["subject"], payload["body"], _message_id(c))
            elif c.channel == "webhook":
                await self.webhook.send(c.address, payload["secret"] or "", c.id, alert_envelope(alert_v1(payload)))
            else:
                subject, text = alert_email(alert_v1(payload), self.org)
                await self.email.send(c.address, subject, text, _message_id(c))
        except DeliveryFailed as error:
            return str(error)
        return None

    async def _record(self, claimed: Sequence[Claimed], outcomes: Sequence[str | None]) -> None:
        now = self.clock()
        async with self.db.transaction() as conn:
            for c, error in zip(claimed, outcomes, strict=True):
                if error is None:
                    await deliveries.delivered(conn, c.id, now)
                    continue
                retry_at = self.policy.retry_at(c.attempts + 1, now)
                await deliveries.failed(conn, c.id, error, retry_at)
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
