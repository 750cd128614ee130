"""One batch, one transaction: the read-model changes, the task versions, the held events and the
stream position reached all commit together, or none of them does."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import psycopg
from nats.aio.msg import Msg
from opentelemetry import metrics, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from shared.stream_consumer import store
from shared.stream_consumer.decode import Rejected, decode, decode_message
from shared.stream_consumer.order import Delivery, Gap, held_versions, order_batch
from shared.telemetry import context_from

if TYPE_CHECKING:
    from shared.stream_consumer.consumer import BatchHandler, ConsumerOptions

log = logging.getLogger("shared.stream_consumer")
_tracer = trace.get_tracer("shared.stream_consumer")
_meter = metrics.get_meter("shared.stream_consumer")
_applied = _meter.create_counter("camket.consumer.applied", description="task events applied to read models")
_duplicates = _meter.create_counter("camket.consumer.duplicates", description="redelivered or re-sent events dropped")
_gaps = _meter.create_counter("camket.consumer.gaps", description="events held because a task version is missing")
_rejected = _meter.create_counter("camket.consumer.rejected", description="messages that are no valid task event")


@dataclass
class BatchOutcome:
    position: int
    applied: int = 0
    duplicates: int = 0
    held: int = 0
    released: int = 0
    rejected: int = 0
    gaps: list[Gap] = field(default_factory=list)


async def commit_batch(conn: psycopg.AsyncConnection[Any], options: ConsumerOptions, handler: BatchHandler,
                       msgs: Sequence[Msg], stream_created: datetime | None) -> BatchOutcome:
    decoded = [decode_message(m, m.metadata.sequence.stream) for m in msgs]
    spans = [_span(options.name, d) for d in decoded if isinstance(d, Delivery)]
    try:
        outcome = await _transaction(conn, options, handler, decoded, stream_created)
    except BaseException as error:
        for span in spans:
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        raise
    finally:
        for span in spans:
            span.end()
    _report(options.name, outcome)
    return outcome


async def _transaction(conn: psycopg.AsyncConnection[Any], options: ConsumerOptions, handler: BatchHandler,
                       decoded: list[Delivery | Rejected], stream_created: datetime | None) -> BatchOutcome:
    schema, name = options.schema, options.name
    async with conn.transaction():
        await store.lock_batches(conn, schema, name)
        position, _ = await store.read_position(conn, schema, name)
        fresh = [d for d in decoded if d.sequence > position]  # already committed: a redelivery
        deliveries = [d for d in fresh if isinstance(d, Delivery)]
        rejected = [d for d in fresh if isinstance(d, Rejected)]
        tasks = {d.task_id for d in deliveries}
        applied = await store.applied_versions(conn, schema, name, tasks)
        parked = [decode(*row) for row in await store.held_rows(conn, schema, name, tasks)]
        ordered = order_batch(deliveries, applied, held_versions([p for p in parked if isinstance(p, Delivery)]),
                              options.entry_types)
        if ordered.ready:
            await handler.apply(conn, ordered.ready)
        await store.save_versions(conn, schema, name, ordered.versions)
        await store.hold(conn, schema, name, ordered.held)
        await store.release(conn, schema, name, ordered.released)
        await store.reject(conn, schema, name, [r.row() for r in rejected])
        reached = max([position, *(d.sequence for d in decoded)])
        await store.write_position(conn, schema, name, stream=options.stream, sequence=reached,
                                   stream_created=stream_created)
    return BatchOutcome(position=reached, applied=len(ordered.ready),
                        duplicates=ordered.duplicates + len(decoded) - len(fresh), held=len(ordered.held),
                        released=len(ordered.released), rejected=len(rejected), gaps=ordered.gaps)


def _span(consumer: str, d: Delivery) -> Span:
    span = _tracer.start_span(f"{consumer} process {d.type}", context=context_from(d.headers),
                              kind=SpanKind.CONSUMER)
    if span.is_recording():
        span.set_attributes({"messaging.system": "nats", "messaging.destination.name": d.subject,
                             "messaging.message.id": d.envelope.id, "camket.stream_sequence": d.sequence,
                             "camket.task_id": str(d.task_id), "camket.task_version": d.version})
    return span


def _report(consumer: str, outcome: BatchOutcome) -> None:
    attributes = {"consumer": consumer}
    _applied.add(outcome.applied, attributes)
    _duplicates.add(outcome.duplicates, attributes)
    _gaps.add(len(outcome.gaps), attributes)
    _rejected.add(outcome.rejected, attributes)
    for gap in outcome.gaps:
        log.warning("consumer %s: task %s version %d arrived (stream sequence %d) but version %d is missing: "
                    "held until it arrives", consumer, gap.task_id, gap.received, gap.sequence, gap.expected)
    if outcome.rejected:
        log.error("consumer %s: %d message(s) are not valid task events; kept in stream_rejected and skipped",
                  consumer, outcome.rejected)
