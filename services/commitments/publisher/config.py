"""Settings of the publisher process: the commitments service's, plus how it publishes."""

from __future__ import annotations

from pydantic import Field

from commitments.config import CommitmentsSettings


class PublisherSettings(CommitmentsSettings):
    stream_replicas: int = Field(default=1, ge=1, le=5)  # 3 in a NATS cluster
    publish_window: int = Field(default=500, ge=1, le=5_000)  # events per read and per publish window
    ack_timeout: float = Field(default=10.0, gt=0)
    read_workers: int = Field(default=1, ge=1, le=8)  # processes reading and translating (one per spare core)
    idle_check: float = Field(default=5.0, gt=0)  # while idle, how often to check the stream still ends where it did
