"""The outbox of the alerts stream: alerts committed with `published_at` null are published in
order of firing, then marked. A crash between the publish and the mark re-sends the alert, which
JetStream drops (Nats-Msg-Id = the alert's id, within the stream's duplicate window). Publishing
never happens inside the transaction that fires an alert, so NATS being down never blocks firing.
"""

from __future__ import annotations

import asyncio
import logging

from nats.js import JetStreamContext
from opentelemetry.trace import SpanKind

from notifications.application.signals import Nudge
from notifications.domain.clock import Clock
from notifications.integration.contract import alert_envelope, alert_v1
from notifications.persistence import alerts
from notifications.persistence.database import Database
from shared.subjects import Subjects
from shared.telemetry import inject_headers, tracer

log = logging.getLogger(__name__)
_tracer = tracer("notifications.alerts")


class AlertPublisher:
    def __init__(self, db: Database, js: JetStreamContext, subjects: Subjects, clock: Clock,
                 batch: int = 200) -> None:
        self.db, self.js, self.subjects, self.clock, self.batch = db, js, subjects, clock, batch

    async def publish_pending(self) -> int:
        """Publishes one batch of unpublished alerts; returns how many."""
        async with self.db.transaction() as conn:
            rows = await alerts.unpublished(conn, self.batch)
            for row in rows:
                alert = alert_v1(row.alert)
                subject = self.subjects.alert(alert.unit, alert.rule)
                with _tracer.start_as_current_span(f"publish alert {alert.rule}", kind=SpanKind.PRODUCER):
                    envelope = alert_envelope(alert)
                    headers = envelope.headers()
                    inject_headers(headers)  # subscribers continue the trace (traceparent)
                    await self.js.publish(subject, envelope.data, headers=headers, stream=self.subjects.alerts_stream)
            await alerts.mark_published(conn, [r.alert.id for r in rows], self.clock())
        return len(rows)

    async def run(self, stop: asyncio.Event, nudge: Nudge, poll: float = 2.0) -> None:
        delay = 0.2
        while not stop.is_set():
            try:
                if await self.publish_pending() == self.batch:
                    continue
                delay = 0.2
            except Exception as error:  # NATS or PostgreSQL away: nothing is marked, retry later
                log.warning("alert outbox: %s: %s; retrying in %.1fs", type(error).__name__, error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            await nudge.wait(poll)
