"""The sealer seen from outside: sealed and pending events, its lag behind the store, the latest
checkpoint and how many checkpoints wait to be published; ready while PostgreSQL and NATS answer."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily, Metric

from commitments.audit.adapters.runner import SealerProcess
from commitments.audit.config import AuditSettings
from commitments.observed import store_last_id
from shared.observability import probes as checks
from shared.observability.metrics import SOURCES
from shared.observability.probes import Probes


class SealerGauges:
    def __init__(self, process: SealerProcess, settings: AuditSettings) -> None:
        self.process, self.url, self.schema = process, settings.database_url, settings.db_schema
        self.store_last = 0

    async def refresh(self) -> None:
        self.store_last = await store_last_id(self.url, self.schema)

    def collect(self) -> Iterator[Metric]:
        p, tree = self.process, self.process.sealer.tree
        log_name = p.sealer.store.log_name
        since = time.monotonic() - p.last_checkpoint
        for name, doc, value in (
                ("sealed_events", "events sealed into the tree (its size)", tree.size),
                ("sealed_notification_id", "the last event sealed (notification id)", tree.last_notification_id),
                ("lag_events", "events in the store not yet sealed, at this scrape",
                 max(self.store_last - tree.last_notification_id, 0)),
                ("pending_events", "events sealed since the latest checkpoint", p.sealer.pending),
                ("checkpoint_tree_size", "tree size of the latest checkpoint", p.sealer.checkpointed),
                ("last_checkpoint_timestamp_seconds", "when a checkpoint was last due (Unix time)",
                 time.time() - since),
                ("unpublished_checkpoints", "checkpoints stored, not yet acknowledged by the stream", len(p.backlog))):
            family = GaugeMetricFamily(f"camket_sealer_{name}", doc, labels=["log"])
            family.add_metric([log_name], float(value))
            yield family


def sealer_probes(process: SealerProcess, settings: AuditSettings) -> Probes:
    gauges = SealerGauges(process, settings)
    SOURCES.add("sealer", gauges.collect)
    return (Probes("commitments-sealer").check("database", checks.database(settings.database_url))
            .check("nats", checks.nats(lambda: process.nc)).refresh_with(gauges.refresh))
