"""Settings of the notifications service: the shared CAMKET_* base, plus its own
CAMKET_NOTIFICATIONS_* variables (shared.settings: `port` is read from CAMKET_NOTIFICATIONS_PORT)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AwareDatetime, Field, field_validator, model_validator

from notifications.domain.rules import RuleConfig
from notifications.integration.egress_policy import EgressPolicy, parse_networks
from shared.settings import ServiceSettings, service_config


class NotificationsSettings(ServiceSettings):
    model_config = service_config("notifications")

    host: str = "127.0.0.1"
    port: int = 8003
    db_schema: str = Field(default="notifications", pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    db_pool_size: int = Field(default=6, ge=2)

    # the rules' defaults; a program year may override them over HTTP (PUT /api/v1/programs/{year}/rules).
    # The pace is not among them: it is the dashboard's rule (shared.rules.pace), not set here.
    approach_days: list[int] = Field(default=[7, 3, 1], min_length=1)
    no_progress_days: int = Field(default=30, ge=1)
    confirmation_wait_days: int = Field(default=7, ge=1)
    # an event first seen longer ago than this fires no event alert: replaying a year of history
    # after a fresh deployment must not flood the Board with last spring's revisions
    event_alert_horizon_days: int = Field(default=30, ge=0)

    tick_seconds: float = Field(default=30.0, gt=0)
    tick_batch: int = Field(default=1000, ge=1)
    consumer_durable: str = "notifications"

    delivery_max_attempts: int = Field(default=8, ge=1)
    delivery_backoff_seconds: float = Field(default=30.0, gt=0)  # doubles after each failure
    delivery_backoff_max_seconds: float = Field(default=3600.0, gt=0)
    delivery_lease_seconds: float = Field(default=120.0, gt=0)
    delivery_poll_seconds: float = Field(default=2.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    # Webhooks reach public addresses only; the operator may allow others here (CIDR blocks or addresses,
    # JSON: CAMKET_NOTIFICATIONS_WEBHOOK_ALLOW_NETWORKS='["10.20.0.0/16"]'), e.g. a receiver inside the department.
    webhook_allow_networks: tuple[str, ...] = ()
    webhook_secret_key_file: Path | None = None  # 32 random bytes, base64; outside the database

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_sender: str = "Cam kết <camket@localhost>"
    smtp_timeout_seconds: float = Field(default=15.0, gt=0)

    digest_weekday: int = Field(default=0, ge=0, le=6)  # Monday: the weekly briefing of the week before
    digest_hour: int = Field(default=7, ge=0, le=23)  # civil hour in Vietnam

    # development and tests only: the service's clock starts at this instant and runs on from there
    fake_now: AwareDatetime | None = None

    @model_validator(mode="after")
    def _no_fake_time_in_production(self) -> NotificationsSettings:
        if self.fake_now is not None and self.environment == "production":
            raise ValueError("CAMKET_NOTIFICATIONS_FAKE_NOW is for development and tests, not production")
        return self

    @field_validator("webhook_allow_networks")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        try:
            parse_networks(value)
        except ValueError as error:
            raise ValueError(f"CAMKET_NOTIFICATIONS_WEBHOOK_ALLOW_NETWORKS: {error}") from None
        return value

    @property
    def egress_policy(self) -> EgressPolicy:
        return EgressPolicy.of(self.webhook_allow_networks)

    @property
    def rule_defaults(self) -> RuleConfig:
        return RuleConfig(tuple(self.approach_days), self.no_progress_days, self.confirmation_wait_days)
