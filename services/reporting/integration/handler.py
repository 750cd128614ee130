"""The stream consumer's handler: folds a batch once, then lets each projection write its rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection, sql

from reporting.integration.projections.base import Conn, Projection, fold, q
from reporting.integration.projections.evaluation import UnitEvaluationProjection
from reporting.integration.projections.history import ProgressHistoryProjection
from reporting.integration.projections.period_activity import PeriodActivityProjection
from reporting.integration.projections.revisions import TargetRevisionsProjection
from reporting.integration.projections.task_status import TaskStatusProjection
from shared.stream_consumer import Delivery, store


class ReportingHandler:
    """Writes every read model of the reporting service into `schema`."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.status = TaskStatusProjection()
        # The evaluation is recomputed from task_status, so it comes after it.
        self.projections: tuple[Projection, ...] = (self.status, ProgressHistoryProjection(),
                                                    TargetRevisionsProjection(), PeriodActivityProjection(),
                                                    UnitEvaluationProjection())

    async def apply(self, conn: Conn, deliveries: Sequence[Delivery]) -> None:
        known = await self.status.load(conn, self.schema, {d.task_id for d in deliveries})
        batch = fold(deliveries, known)
        for projection in self.projections:
            await projection.apply(conn, self.schema, batch)

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
