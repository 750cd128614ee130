"""The publisher seen from outside: its gauges for /metrics and its readiness checks.

Lag in events is the store's last notification id minus the last one the stream acknowledged. Lag
in seconds is how long the publisher has been behind: 0 when caught up, else the time since it last
found nothing more to read (an upper bound on the age of the oldest event not yet on the stream).
A standby instance is ready (it is there to take over) and says it is not the leader.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from commitments.observed import store_last_id
from commitments.publisher.config import PublisherSettings
from commitments.publisher.service import Publisher
from shared.observability import probes as checks
from shared.observability.metrics import SOURCES
from shared.observability.probes import Probes


class PublisherGauges:
    def __init__(self, publisher: Publisher, settings: PublisherSettings) -> None:
        self.publisher, self.url, self.schema = publisher, settings.database_url, settings.db_schema
        self.store_last = 0

    async def refresh(self) -> None:
        self.store_last = await store_last_id(self.url, self.schema)

    def collect(self) -> Iterator[Metric]:
        p, stream = self.publisher, self.publisher.stream
        published = p.positions.published.notification_id
        lag = max(self.store_last - published, 0) if p.leading else 0
        behind = time.time() - p.caught_up_at if lag and p.caught_up_at else 0.0
        for name, doc, value in (
                ("published_notification_id", "the last event the stream acknowledged (notification id)", published),
                ("store_notification_id", "the last event in the store (notification id), at this scrape",
                 self.store_last),
                ("lag_events", "events in the store not yet on the stream (the leader's view)", lag),
                ("lag_seconds", "how long the publisher has been behind (0: caught up)", behind),
                ("leader", "1 while this instance holds the publisher lease", 1 if p.leading else 0)):
            family = GaugeMetricFamily(f"camket_publisher_{name}", doc, labels=["stream"])
            family.add_metric([stream], float(value))
            yield family
        lost = CounterMetricFamily("camket_publisher_lease_lost", "times this instance lost the lease while leading",
                                   labels=["stream"])
        lost.add_metric([stream], float(p.lease.lost if p.lease else 0))
        yield lost


def publisher_probes(publisher: Publisher, settings: PublisherSettings) -> Probes:
    gauges = PublisherGauges(publisher, settings)
    SOURCES.add("publisher", gauges.collect)
    return (Probes("commitments-publisher").check("database", checks.database(settings.database_url))
            .check("nats", checks.nats_server(settings.nats_url)).refresh_with(gauges.refresh))
