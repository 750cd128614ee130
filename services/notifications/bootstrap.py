"""The one place that wires the notifications service: settings → database, clock, rules, workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from notifications.application.alert_queries import AlertQueries
from notifications.application.briefings import Briefings
from notifications.application.deliveries import DeliveryWorker
from notifications.application.ports import UnitsOfWork
from notifications.application.projection import FactsProjection
from notifications.application.scheduler import Scheduler
from notifications.application.signals import Signals
from notifications.application.subscription_admin import SubscriptionAdmin
from notifications.config import NotificationsSettings
from notifications.domain.clock import Clock, ShiftedClock, system_clock
from notifications.domain.retry import RetryPolicy
from notifications.integration.egress import webhook_client
from notifications.integration.email import EmailSender, SmtpConfig
from notifications.integration.secrets import SecretCipher, load_cipher
from notifications.integration.task_events import TaskEventHandler
from notifications.integration.webhook import WebhookSender
from notifications.persistence import deliveries as delivery_rows
from notifications.persistence import subscriptions
from notifications.persistence.database import Database
from notifications.persistence.unit_of_work import PgUnitsOfWork, joined
from shared.auth.tokens import TokenVerifier, verifier_for
from shared.catalog import Organisation, organisation


@dataclass
class Container:
    settings: NotificationsSettings
    db: Database
    clock: Clock
    org: Organisation
    verifier: TokenVerifier
    http: httpx.AsyncClient
    cipher: SecretCipher
    uow: UnitsOfWork
    signals: Signals = field(default_factory=Signals)

    @property
    def projection(self) -> FactsProjection:
        return FactsProjection(self.org, self.clock, timedelta(days=self.settings.event_alert_horizon_days))

    @property
    def task_events(self) -> TaskEventHandler:
        """What the stream consumer calls with each batch (its transaction, its connection)."""
        schema = self.settings.db_schema
        return TaskEventHandler(self.projection, lambda conn: joined(conn, schema))

    @property
    def scheduler(self) -> Scheduler:
        return Scheduler(self.uow, self.clock, self.org, defaults=self.settings.rule_defaults,
                         batch=self.settings.tick_batch, signals=self.signals)

    @property
    def briefings(self) -> Briefings:
        return Briefings(self.uow, self.clock, self.org, weekday=self.settings.digest_weekday,
                         hour=self.settings.digest_hour, signals=self.signals)

    @property
    def deliveries(self) -> DeliveryWorker:
        s = self.settings
        policy = RetryPolicy(s.delivery_max_attempts, timedelta(seconds=s.delivery_backoff_seconds),
                             timedelta(seconds=s.delivery_backoff_max_seconds))
        return DeliveryWorker(self.uow, self.clock, webhook=WebhookSender(self.http), email=EmailSender(smtp_config(s)),
                              policy=policy, org=self.org, lease=timedelta(seconds=s.delivery_lease_seconds),
                              cipher=self.cipher)

    @property
    def alert_queries(self) -> AlertQueries:
        return AlertQueries(self.uow, self.clock)

    @property
    def admin(self) -> SubscriptionAdmin:
        return SubscriptionAdmin(self.uow, self.clock, self.org, self.cipher, self.settings.egress_policy)

    async def open(self) -> None:
        await self.db.open()
        async with self.db.transaction() as conn:  # what versions before this one stored
            await subscriptions.seal_plaintext_secrets(conn, self.cipher)
            await delivery_rows.forget_answer_bodies(conn)

    async def close(self) -> None:
        await self.http.aclose()
        await self.db.close()


def smtp_config(s: NotificationsSettings) -> SmtpConfig:
    return SmtpConfig(host=s.smtp_host, port=s.smtp_port, sender=s.smtp_sender, starttls=s.smtp_starttls,
                      use_ssl=s.smtp_ssl, user=s.smtp_user, password=s.smtp_password, timeout=s.smtp_timeout_seconds)


def build(settings: NotificationsSettings | None = None, *, clock: Clock | None = None,
          verifier: TokenVerifier | None = None, uow: UnitsOfWork | None = None) -> Container:
    """`uow`: the stores the use cases work on (PostgreSQL unless a test hands in others)."""
    settings = settings or NotificationsSettings()
    if clock is None:
        clock = ShiftedClock(settings.fake_now) if settings.fake_now else system_clock
    verifier = verifier or verifier_for(settings)
    http = webhook_client(settings.egress_policy, settings.webhook_timeout_seconds)
    cipher = load_cipher(settings.webhook_secret_key_file, settings.keys_dir, settings.environment)
    db = Database(settings.database_url, settings.db_schema, settings.db_pool_size)
    return Container(settings=settings, db=db, clock=clock, org=organisation(settings.org), verifier=verifier,
                     http=http, cipher=cipher, uow=uow or PgUnitsOfWork(db))
