"""What a consumer is given: its options and its handler (the read models' side)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg

from shared.stream_consumer.order import ENTRY_TYPES, Delivery

AsyncConn = psycopg.AsyncConnection[Any]


class Plan(Protocol):
    async def execute(self, conn: AsyncConn) -> None:
        """Sends the statements worked out beforehand, inside the open transaction (pipeline mode)."""


class BatchHandler(Protocol):
    """Writes read-model changes. `apply` is required; the rest is optional (looked up by name):

    - `plan(deliveries) -> Plan | None`: works out the statements of a batch *without* the database,
      from what the handler remembers — the consumer calls it while the previous batch is still in
      its transaction, so the CPU work of one batch overlaps the database work of the other. Return
      None when the database is needed (e.g. a task not in memory): `apply` then does the batch.
    - `committed()`: the oldest batch planned or applied, and not yet committed or rolled back, has
      committed (in order; e.g. to move its state into a cache).
    - `rollback()`: every batch planned or applied and not yet committed is void.
    """

    async def apply(self, conn: AsyncConn, deliveries: Sequence[Delivery]) -> None:
        """Writes the changes of `deliveries` (in order) inside the open transaction on `conn`. Must not
        commit, roll back or swallow database errors."""


@dataclass(frozen=True)
class ConsumerOptions:
    name: str  # the durable consumer's name and the key of the committed position
    stream: str
    filter_subject: str
    schema: str  # where the position lives: the read models' schema
    batch_size: int = 500
    ack_wait: float = 60.0
    idle_wait: float = 0.5  # how often an idle loop looks at `stop`
    entry_types: frozenset[str] = ENTRY_TYPES
    durable: str | None = None  # the NATS consumer's name when it differs from `name` (a rebuild's)
    # False only for a one-off build into tables nobody reads until a later synchronous commit (a
    # rebuild's swap): a crash may then lose acked batches, and the build is simply run again.
    synchronous_commit: bool = True

    @property
    def durable_name(self) -> str:
        return self.durable or self.name


class Reposition(RuntimeError):
    """Something between NATS, PostgreSQL and us is uncertain: restart from the committed position."""


def hook(handler: BatchHandler, name: str) -> Any:
    """An optional method of the handler, or None."""
    return getattr(handler, name, None)
