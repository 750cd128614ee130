"""What the consumer knows of its committed state, in memory, so that a batch can be ordered (and its
statements planned) before the previous batch has committed. Valid for one session: it is loaded at
the session's start, advanced batch by batch, and checked in each transaction (the position must be
the one expected, or the session ends and starts again)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from shared.stream_consumer import store
from shared.stream_consumer.decode import Rejected
from shared.stream_consumer.order import Delivery, Ordered, order_batch
from shared.stream_consumer.protocol import AsyncConn


@dataclass
class Memory:
    position: int
    versions: dict[UUID, int]
    held: Counter[UUID] = field(default_factory=Counter)  # held events per task

    def speculate(self, decoded: Sequence[Delivery | Rejected], entry_types: frozenset[str]) -> Ordered | None:
        """The batch's ordering if it is the plain case — every message new, every event the next
        version of its task — else None (the transaction then orders it against the database)."""
        if any(isinstance(d, Rejected) or d.sequence <= self.position or d.task_id in self.held for d in decoded):
            return None
        ordered = order_batch([d for d in decoded if isinstance(d, Delivery)], self.versions, {}, entry_types)
        return None if ordered.held or ordered.duplicates else ordered

    def advance(self, ordered: Ordered, held: Sequence[Delivery], released: Sequence[Delivery],
                reached: int) -> None:
        self.versions.update(ordered.versions)
        self.held.update(d.task_id for d in held)
        self.held.subtract(d.task_id for d in released)
        self.held = +self.held  # drop the tasks with none left
        self.position = reached


async def load(conn: AsyncConn, schema: str, consumer: str) -> Memory:
    position, _ = await store.read_position(conn, schema, consumer)
    return Memory(position, await store.all_versions(conn, schema, consumer),
                  Counter(await store.held_counts(conn, schema, consumer)))
