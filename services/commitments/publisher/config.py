"""Settings of the publisher process: the commitments service's, plus how it publishes."""

from __future__ import annotations

from pydantic import Field

from commitments.config import CommitmentsSettings


class PublisherSettings(CommitmentsSettings):
    publish_window: int = Field(default=500, ge=1, le=5_000)  # events per read and per publish window
    ack_timeout: float = Field(default=10.0, gt=0)
    read_workers: int = Field(default=1, ge=1, le=8)  # processes reading and translating (one per spare core)
    idle_check: float = Field(default=5.0, gt=0)  # while idle, how often to check the stream still ends where it did
    lease_poll: float = Field(default=0.5, gt=0)  # a standby tries for the lease this often (the take-over delay)
    lease_check: float = Field(default=1.0, gt=0)  # the leader checks its lease session this often
    publisher_metrics_port: int | None = Field(default=None, ge=0, le=65535)  # /metrics, /healthz, /readyz
