"""The notifications service seen from outside: alerts fired per rule (counted in the database, so
the figure survives restarts and replicas agree), the consumer's gauges, and readiness."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, Metric
from psycopg import sql

from notifications.bootstrap import Container
from notifications.integration.runtime import Runtime
from shared.observability import consumers
from shared.observability import probes as checks
from shared.observability.metrics import SOURCES
from shared.observability.probes import Probes


class AlertCounts:
    def __init__(self, container: Container) -> None:
        self.container = container
        self.fired: dict[str, int] = {}

    async def refresh(self) -> None:
        query = sql.SQL("SELECT rule, count(*) FROM {}.alerts GROUP BY rule").format(
            sql.Identifier(self.container.settings.db_schema))
        async with self.container.db.pool.connection(timeout=2) as conn:
            cur = await conn.execute(query)
            self.fired = {str(rule): int(n) for rule, n in await cur.fetchall()}

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily("camket_alerts_fired", "alerts fired, per rule", labels=["rule"])
        for rule, count in sorted(self.fired.items()):
            family.add_metric([rule], float(count))
        yield family


def notifications_probes(container: Container, runtime: Runtime | None) -> Probes:
    s, counts = container.settings, AlertCounts(container)
    SOURCES.add("notifications/alerts", counts.collect)
    probes = (Probes("notifications").check("database", checks.database(s.database_url))
              .refresh_with(counts.refresh))
    if runtime is not None:  # the process that consumes (an --api-only replica needs no NATS)
        consumers.track(s.consumer_durable, lambda: runtime.consumer)
        probes.check("nats", checks.nats(lambda: runtime.nc))
        probes.check(f"consumer {s.consumer_durable}", consumers.ConsumerWatch(
            lambda: runtime.consumer, lambda: runtime.nc, s.consumer_stall_seconds))
    return probes
