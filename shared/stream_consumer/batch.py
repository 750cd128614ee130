"""One batch, one transaction: the read-model changes, the task versions, the held events and the
stream position reached all commit together, or none of them does.

The plain case (every message new, every event the next version of its task) is ordered and planned
in memory while the previous batch is still in its transaction; its transaction then only sends the
planned statements and checks that the committed position is the one the plan started from. Any
other batch is ordered against the database inside its transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from nats.aio.msg import Msg
from opentelemetry.trace import Span, Status, StatusCode

from shared.stream_consumer import store, traces
from shared.stream_consumer.decode import Rejected, decode, decode_message
from shared.stream_consumer.memory import Memory
from shared.stream_consumer.order import Delivery, Gap, Ordered, held_versions, order_batch
from shared.stream_consumer.protocol import AsyncConn, BatchHandler, ConsumerOptions, Plan, Reposition, hook
from shared.stream_consumer.pull import sequences


@dataclass
class BatchOutcome:
    position: int
    applied: int = 0
    duplicates: int = 0
    held: list[Delivery] = field(default_factory=list)
    released: list[Delivery] = field(default_factory=list)
    rejected: int = 0
    gaps: list[Gap] = field(default_factory=list)
    ordered: Ordered | None = None
    found_position: int | None = None  # the committed position the transaction started from


@dataclass
class Prepared:
    """A batch decoded, with a CONSUMER span per event, and — in the plain case — its plan."""

    msgs: Sequence[Msg]
    decoded: list[Delivery | Rejected]
    spans: list[Span]
    ordered: Ordered | None = None  # set with `plan`: the ordering it assumed
    plan: Plan | None = None
    expected_position: int = 0  # the committed position the plan starts from


def prepare(options: ConsumerOptions, handler: BatchHandler, msgs: Sequence[Msg], memory: Memory | None) -> Prepared:
    """The CPU part of a batch: runs while the previous batch's transaction is in PostgreSQL.
    `memory` (None: do not plan) is advanced as if this batch commits; if it does not, the session ends."""
    decoded = [decode_message(m, sequences(m)[0]) for m in msgs]
    batch = Prepared(msgs, decoded, [traces.span_of(options.name, d) for d in decoded if isinstance(d, Delivery)])
    planner = hook(handler, "plan")
    ordered = memory.speculate(decoded, options.entry_types) if memory is not None and planner else None
    if memory is None or ordered is None:
        return batch
    batch.plan = planner(ordered.ready)
    if batch.plan is not None:
        batch.ordered, batch.expected_position = ordered, memory.position
        memory.advance(ordered, [], [], max(d.sequence for d in decoded))
    return batch


async def commit_batch(conn: AsyncConn, options: ConsumerOptions, handler: BatchHandler, batch: Prepared,
                       stream_created: datetime | None) -> BatchOutcome:
    try:
        if batch.plan is not None:
            outcome = await _planned(conn, options, batch, stream_created)
        else:
            outcome = await _ordered_in_transaction(conn, options, handler, batch.decoded, stream_created)
    except BaseException as error:
        for span in batch.spans:
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        raise
    finally:
        for span in batch.spans:
            span.end()
    traces.report(options.name, outcome)
    return outcome


async def _planned(conn: AsyncConn, options: ConsumerOptions, batch: Prepared,
                   stream_created: datetime | None) -> BatchOutcome:
    assert batch.plan is not None and batch.ordered is not None
    schema, name = options.schema, options.name
    reached = max(d.sequence for d in batch.decoded)
    # Pipeline mode: everything goes out at once and the COMMIT with it; the position is checked before
    # the COMMIT, and a mismatch (someone else wrote: a rebuild's swap) rolls it all back.
    async with conn.pipeline(), conn.transaction():
        await _begin(conn, options)
        position = await conn.execute(store.position_query(schema), [name])
        await batch.plan.execute(conn)
        await store.save_versions(conn, schema, name, batch.ordered.versions)
        await store.write_position(conn, schema, name, stream=options.stream, sequence=reached,
                                   stream_created=stream_created)
        row = await position.fetchone()
        if (int(row[0]) if row else 0) != batch.expected_position:
            raise Reposition(f"the committed position moved under this consumer (expected {batch.expected_position},"
                             f" found {row[0] if row else 0}): the read models were swapped or written elsewhere")
    return BatchOutcome(position=reached, applied=len(batch.ordered.ready), ordered=batch.ordered)


async def _ordered_in_transaction(conn: AsyncConn, options: ConsumerOptions, handler: BatchHandler,
                                  decoded: list[Delivery | Rejected], stream_created: datetime | None) -> BatchOutcome:
    schema, name = options.schema, options.name
    async with conn.pipeline(), conn.transaction():
        await _begin(conn, options)
        tasks = {d.task_id for d in decoded if isinstance(d, Delivery)}
        state = await store.batch_state(conn, schema, name, tasks)
        fresh = [d for d in decoded if d.sequence > state.position]  # at or below it: a redelivery
        deliveries = [d for d in fresh if isinstance(d, Delivery)]
        rejected = [d for d in fresh if isinstance(d, Rejected)]
        parked = [p for p in (decode(*row) for row in state.held) if isinstance(p, Delivery)]
        ordered = order_batch(deliveries, state.versions, held_versions(parked), options.entry_types)
        reached = max([state.position, *(d.sequence for d in decoded)])
        if ordered.ready:
            await handler.apply(conn, ordered.ready)
        await store.save_versions(conn, schema, name, ordered.versions)
        await store.hold(conn, schema, name, ordered.held)
        await store.release(conn, schema, name, ordered.released)
        await store.reject(conn, schema, name, [r.row() for r in rejected])
        await store.write_position(conn, schema, name, stream=options.stream, sequence=reached,
                                   stream_created=stream_created)
    return BatchOutcome(position=reached, applied=len(ordered.ready),
                        duplicates=ordered.duplicates + len(decoded) - len(fresh), held=ordered.held,
                        released=ordered.released, rejected=len(rejected), gaps=ordered.gaps, ordered=ordered,
                        found_position=state.position)


async def _begin(conn: AsyncConn, options: ConsumerOptions) -> None:
    if not options.synchronous_commit:
        await conn.execute("SET LOCAL synchronous_commit = off")
    await store.lock_batches(conn, options.schema, options.name)
