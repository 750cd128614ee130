"""The stream consumer's handler: folds a batch once, then sends each projection's statements.

It remembers the tasks' committed states (a bounded cache) and the states of batches not yet
committed, in order. With them it can plan a batch while the previous one is still in its
transaction (see shared.stream_consumer.protocol); a task it does not remember sends the batch
through `apply`, which reads the task from the database.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, sql

from reporting.domain.task_state import TaskState
from reporting.integration.projections.base import Batch, Conn, Projection, Statement, fold, q
from reporting.integration.projections.evaluation import UnitEvaluationProjection
from reporting.integration.projections.history import ProgressHistoryProjection
from reporting.integration.projections.period_activity import PeriodActivityProjection
from reporting.integration.projections.revisions import TargetRevisionsProjection
from reporting.integration.projections.task_status import TaskStatusProjection
from shared.stream_consumer import Delivery, store


@dataclass(frozen=True)
class Statements:
    """A planned batch: what to send in its transaction."""

    statements: list[Statement]

    async def execute(self, conn: Conn) -> None:
        for query, params in self.statements:
            await conn.execute(query, params)


class ReportingHandler:
    """Writes every read model of the reporting service into `schema`."""

    def __init__(self, schema: str, cache_size: int = 100_000) -> None:
        self.schema = schema
        self.status = TaskStatusProjection()
        # Order matters: period activity counts the history rows, the evaluation reads task_status.
        self.projections: tuple[Projection, ...] = (ProgressHistoryProjection(), self.status,
                                                    TargetRevisionsProjection(), PeriodActivityProjection(),
                                                    UnitEvaluationProjection())
        self._cache: OrderedDict[UUID, TaskState] = OrderedDict()  # committed states, most recent last
        self._cache_size = cache_size
        self._uncommitted: deque[dict[UUID, TaskState]] = deque()  # batches sent, oldest first

    def plan(self, deliveries: Sequence[Delivery]) -> Statements | None:
        known: dict[UUID, TaskState] = {}
        for d in _firsts(deliveries):
            state = self._latest(d.task_id)
            if state is not None and state.version == d.version - 1:
                known[d.task_id] = state
            elif state is not None or d.version != 1:
                # Not the state this event follows, or a task the memory does not hold: only the
                # database knows whether a reassignment brings a new task or one it already has (the
                # memory is empty after a restart; planning it as new lost the task's own state).
                return None
        return Statements(self._statements(fold(deliveries, known)))

    async def apply(self, conn: Conn, deliveries: Sequence[Delivery]) -> None:
        known = {d.task_id: s for d in _firsts(deliveries)
                 if (s := self._latest(d.task_id)) is not None and s.version == d.version - 1}
        missing = [d.task_id for d in _firsts(deliveries) if d.task_id not in known]
        if missing:
            known |= await self.status.load(conn, self.schema, missing)
        await Statements(self._statements(fold(deliveries, known))).execute(conn)

    def committed(self) -> None:
        if not self._uncommitted:
            return
        for task_id, state in self._uncommitted.popleft().items():
            self._cache[task_id] = state
            self._cache.move_to_end(task_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def rollback(self) -> None:
        self._uncommitted.clear()

    @property
    def tables(self) -> list[str]:
        return [p.table for p in self.projections]

    def _statements(self, batch: Batch) -> list[Statement]:
        self._uncommitted.append(batch.final)
        return [statement for p in self.projections for statement in p.statements(self.schema, batch)]

    def _latest(self, task_id: UUID) -> TaskState | None:
        for states in reversed(self._uncommitted):
            if task_id in states:
                return states[task_id]
        return self._cache.get(task_id)


def _firsts(deliveries: Sequence[Delivery]) -> list[Delivery]:
    """Each task's first delivery in the batch."""
    seen: dict[UUID, Delivery] = {}
    for d in deliveries:
        seen.setdefault(d.task_id, d)
    return list(seen.values())


async def install(conn: AsyncConnection[Any], schema: str) -> None:
    """Creates the schema, every read model's tables and the consumer's own (idempotent)."""
    await conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    for projection in ReportingHandler(schema).projections:
        for statement in projection.ddl().split(";"):
            if statement.strip():
                await conn.execute(q(statement, schema))
    await store.install(conn, schema)
