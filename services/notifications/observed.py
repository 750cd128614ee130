"""The notifications service seen from outside: alerts fired per rule (counted in the database, so
the figure survives restarts and replicas agree), the consumer's gauges, and readiness."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, Metric

from notifications.application.ports import UnitsOfWork
from notifications.bootstrap import Container
from notifications.integration.runtime import Runtime
from shared.observability import consumers
from shared.observability import probes as checks
from shared.observability.metrics import SOURCES
from shared.observability.probes import Probes


class AlertCounts:
    def __init__(self, uow: UnitsOfWork) -> None:
        self.uow = uow
        self.fired: dict[str, int] = {}

    async def refresh(self) -> None:
        """Bounded by the probes' time limit; a failed refresh keeps the last counts."""
        async with self.uow() as uow:
            self.fired = await uow.alerts.fired_per_rule()

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily("camket_alerts_fired", "alerts fired, per rule", labels=["rule"])
        for rule, count in sorted(self.fired.items()):
            family.add_metric([rule], float(count))
        yield family


def notifications_probes(container: Container, runtime: Runtime | None) -> Probes:
    s, counts = container.settings, AlertCounts(container.uow)
    SOURCES.add("notifications/alerts", counts.collect)
    probes = (Probes("notifications").check("database", checks.database(s.database_url))
              .refresh_with(counts.refresh))
    if runtime is not None:  # the process that consumes (an --api-only replica needs no NATS)
        consumers.track(s.consumer_durable, lambda: runtime.consumer)
        probes.check("nats", checks.nats(lambda: runtime.nc))
        probes.check(f"consumer {s.consumer_durable}", consumers.ConsumerWatch(
            lambda: runtime.consumer, lambda: runtime.nc, s.consumer_stall_seconds))
    return probes
