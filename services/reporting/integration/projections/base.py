"""What every projection gets: the batch translated (integration/contract_v1.py) and folded once into
each task's facts before and after each event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from psycopg import AsyncConnection, sql

from reporting.domain.events import TaskEvent
from reporting.domain.task_state import TaskState, evolve
from reporting.integration.contract_v1 import translate
from shared.stream_consumer import Delivery

Conn = AsyncConnection[Any]
UnitKey = tuple[str, int, str]  # (org, program_year, unit)


@dataclass(frozen=True)
class Step:
    delivery: Delivery  # its place in the stream
    event: TaskEvent  # what it says, in the reporting side's terms
    before: TaskState | None
    after: TaskState


@dataclass
class Batch:
    steps: list[Step] = field(default_factory=list)
    final: dict[UUID, TaskState] = field(default_factory=dict)  # each touched task after the batch
    units: set[UnitKey] = field(default_factory=set)  # every unit a touched task was in, before or after


def fold(deliveries: Sequence[Delivery], known: Mapping[UUID, TaskState]) -> Batch:
    batch = Batch()
    final = batch.final
    for d in deliveries:
        event = translate(d.event)
        before = final.get(d.task_id) or known.get(d.task_id)
        after = final[d.task_id] = evolve(before, event)
        batch.steps.append(Step(d, event, before, after))
    # A unit a task passed through within the batch never counted it: only the first and last matter.
    batch.units = {(s.org, s.program_year, s.unit) for s in final.values()}
    batch.units |= {(s.org, s.program_year, s.unit) for t in final if (s := known.get(t)) is not None}
    return batch


Statement = tuple[sql.Composed, Sequence[Any]]


class Projection(Protocol):
    table: str

    def ddl(self) -> str:
        """CREATE TABLE IF NOT EXISTS statements, with `{schema}` where the schema goes."""

    def statements(self, schema: str, batch: Batch) -> list[Statement]:
        """This read model's changes for the batch: worked out without the database, sent by the handler
        inside the batch's transaction, after those of the projections before it."""


def q(template: str, schema: str) -> sql.Composed:
    return sql.SQL(template).format(schema=sql.Identifier(schema))
