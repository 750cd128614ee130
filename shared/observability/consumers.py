"""A stream consumer seen from outside: its gauges for /metrics and its readiness check.

Stalled means there is work (the durable consumer has messages not yet acknowledged) and the
committed position has not moved for `stall_seconds` — across two probes that far apart, so an
idle consumer that has just been handed an event is never taken for a stuck one. Parked events
(set aside by the consumer, waiting for an operator) make it not ready until they are dealt with.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from nats.aio.client import Client
from nats.js.errors import NotFoundError
from prometheus_client.core import GaugeMetricFamily, Metric

from shared.observability.metrics import SOURCES
from shared.stream_consumer import ConsumerStats, StreamConsumer

ConsumerSource = Callable[[], StreamConsumer | None]


def parked(stats: ConsumerStats) -> int:
    return stats.parked


def track(name: str, source: ConsumerSource) -> None:
    """Exports the consumer's counters on /metrics (replaces an earlier one of the same name)."""
    def collect() -> Iterator[Metric]:
        consumer = source()
        if consumer is None:
            return
        s = consumer.stats
        values = {"position": ("the last stream sequence committed", s.position),
                  "pending_events": ("messages still to deliver after the last batch (lag)", s.pending or 0),
                  "held_events": ("events waiting for a missing earlier version of their task", s.held),
                  "parked_events": ("events set aside for an operator", parked(s)),
                  "applied_events": ("events applied since the process started", s.applied),
                  "duplicate_events": ("redeliveries and duplicates dropped since start", s.duplicates),
                  "rejected_events": ("messages rejected as not a task event since start", s.rejected),
                  "repositions": ("sessions restarted from the committed position since start", s.repositions),
                  "last_commit_timestamp_seconds": ("when the last batch committed (Unix time)",
                                                    s.last_commit_at.timestamp() if s.last_commit_at else 0)}
        for key, (doc, value) in values.items():
            family = GaugeMetricFamily(f"camket_consumer_{key}", doc, labels=["consumer"])
            family.add_metric([s.name], float(value))
            yield family
    SOURCES.add(f"consumer/{name}", collect)


@dataclass
class _Seen:
    position: int
    at: float


class ConsumerWatch:
    """The readiness check of one consumer (stalled or parked: not ready)."""

    def __init__(self, source: ConsumerSource, client: Callable[[], Client | None], stall_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.source, self.client, self.stall_seconds, self.clock = source, client, stall_seconds, clock
        self._stuck_since: _Seen | None = None

    async def __call__(self) -> str | None:
        consumer, nc = self.source(), self.client()
        if consumer is None or nc is None:
            return None  # not started yet: the NATS check says whether it can
        stats = consumer.stats
        if parked(stats):
            return f"{parked(stats)} events parked"
        if stats.consumer_starts == 0:
            return None  # standing by while another instance is active (or not yet started)
        backlog = await self._backlog(consumer, nc)
        now = self.clock()
        if backlog is None or backlog == 0:
            self._stuck_since = None
            return None
        if self._stuck_since is None or self._stuck_since.position != stats.position:
            self._stuck_since = _Seen(stats.position, now)
            return None
        waited = now - self._stuck_since.at
        if waited >= self.stall_seconds:
            return f"stalled: {backlog} messages waiting, position {stats.position} unmoved for {waited:.0f}s"
        return None

    async def _backlog(self, consumer: StreamConsumer, nc: Client) -> int | None:
        """Messages the durable consumer has not had acknowledged; None while it is being (re)created."""
        o = consumer.options
        try:
            info = await nc.jetstream().consumer_info(o.stream, o.durable_name)
        except NotFoundError:
            return None
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)
