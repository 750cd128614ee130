"""The stream consumer's handler: folds a batch once, then lets each projection write its rows."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, sql

from reporting.domain.task_state import TaskState
from reporting.integration.projections.base import Conn, Projection, fold, q
from reporting.integration.projections.evaluation import UnitEvaluationProjection
from reporting.integration.projections.history import ProgressHistoryProjection
from reporting.integration.projections.period_activity import PeriodActivityProjection
from reporting.integration.projections.revisions import TargetRevisionsProjection
from reporting.integration.projections.task_status import TaskStatusProjection
from shared.stream_consumer import Delivery, store


class ReportingHandler:
    """Writes every read model of the reporting service into `schema`."""

    def __init__(self, schema: str, cache_size: int = 100_000) -> None:
        self.schema = schema
        self.status = TaskStatusProjection()
        # The evaluation is recomputed from task_status, so it comes after it.
        self.projections: tuple[Projection, ...] = (self.status, ProgressHistoryProjection(),
                                                    TargetRevisionsProjection(), PeriodActivityProjection(),
                                                    UnitEvaluationProjection())
        self._cache: OrderedDict[UUID, TaskState] = OrderedDict()  # committed task states, most recent last
        self._cache_size = cache_size
        self._uncommitted: dict[UUID, TaskState] = {}

    async def apply(self, conn: Conn, deliveries: Sequence[Delivery]) -> None:
        self._uncommitted = {}
        batch = fold(deliveries, await self._known(conn, deliveries))
        for projection in self.projections:
            await projection.apply(conn, self.schema, batch)
        self._uncommitted = batch.final

    def committed(self) -> None:
        for task_id, state in self._uncommitted.items():
            self._cache[task_id] = state
            self._cache.move_to_end(task_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        self._uncommitted = {}

    async def _known(self, conn: Conn, deliveries: Sequence[Delivery]) -> dict[UUID, TaskState]:
        """Each task's state before the batch: from the cache when it holds exactly the version the
        batch's first event follows (the consumer checked that version against the database), else
        from the task status table."""
        first: dict[UUID, int] = {}
        for d in deliveries:
            first.setdefault(d.task_id, d.version)
        known = {t: s for t, v in first.items() if (s := self._cache.get(t)) is not None and s.version == v - 1}
        missing = [t for t in first if t not in known]
        if missing:
            known |= await self.status.load(conn, self.schema, missing)
        return known

    @property
    def tables(self) -> list[str]:
        return [p.table for p in self.projections]


async def install(conn: AsyncConnection[Any], schema: str) -> None:
    """Creates the schema, every read model's tables and the consumer's own (idempotent)."""
    await conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    for projection in ReportingHandler(schema).projections:
        for statement in projection.ddl().split(";"):
            if statement.strip():
                await conn.execute(q(statement, schema))
    await store.install(conn, schema)
