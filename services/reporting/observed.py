"""The reporting service (or its standalone consumer) seen from outside: the consumer's gauges and
readiness — PostgreSQL, NATS, and the consumer neither stalled nor parked."""

from __future__ import annotations

from collections.abc import Callable

from nats.aio.client import Client

from reporting.config import ReportingSettings
from shared.observability import consumers
from shared.observability import probes as checks
from shared.observability.probes import Probes


def reporting_probes(settings: ReportingSettings, consumer: consumers.ConsumerSource,
                     nc: Callable[[], Client | None], *, consuming: bool, service: str = "reporting") -> Probes:
    probes = Probes(service).check("database", checks.database(settings.database_url))
    if consuming:
        consumers.track(settings.consumer_name, consumer)
        probes.check("nats", checks.nats(nc))
        probes.check(f"consumer {settings.consumer_name}",
                     consumers.ConsumerWatch(consumer, nc, settings.consumer_stall_seconds))
    return probes
