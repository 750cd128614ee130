"""One batch, one transaction: the read-model changes, the task versions, the held events and the
stream position reached all commit together, or none of them does."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import psycopg
from nats.aio.msg import Msg
from opentelemetry import metrics, trace
from opentelemetry.context import Context
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, Status, StatusCode, TraceFlags

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


@dataclass
class Prepared:
    """A batch decoded, with a CONSUMER span per event, ready for its transaction."""

    msgs: Sequence[Msg]
    decoded: list[Delivery | Rejected]
    spans: list[Span]


def prepare(consumer: str, msgs: Sequence[Msg]) -> Prepared:
    """The CPU part of a batch: runs while the previous batch's transaction is in PostgreSQL."""
    decoded = [decode_message(m, m.metadata.sequence.stream) for m in msgs]
    return Prepared(msgs, decoded, [_span(consumer, d) for d in decoded if isinstance(d, Delivery)])


async def commit_batch(conn: psycopg.AsyncConnection[Any], options: ConsumerOptions, handler: BatchHandler,
                       batch: Prepared, stream_created: datetime | None) -> BatchOutcome:
    try:
        outcome = await _transaction(conn, options, handler, batch.decoded, stream_created)
    except BaseException as error:
        for span in batch.spans:
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        raise
    finally:
        for span in batch.spans:
            span.end()
    _report(options.name, outcome)
    return outcome


async def _transaction(conn: psycopg.AsyncConnection[Any], options: ConsumerOptions, handler: BatchHandler,
                       decoded: list[Delivery | Rejected], stream_created: datetime | None) -> BatchOutcome:
    schema, name = options.schema, options.name
    # Pipeline mode: statements go out without waiting for each result (PostgreSQL works on one while
    # Python prepares the next) and the COMMIT goes with them; errors still surface, and roll back.
    async with conn.pipeline(), conn.transaction():
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
                        duplicates=ordered.duplicates + len(decoded) - len(fresh), held=len(ordered.held),
                        released=len(ordered.released), rejected=len(rejected), gaps=ordered.gaps)


def _span(consumer: str, d: Delivery) -> Span:
    span = _tracer.start_span(f"{consumer} process {d.type}", context=_parent(d.headers), kind=SpanKind.CONSUMER)
    if span.is_recording():
        span.set_attributes({"messaging.system": "nats", "messaging.destination.name": d.subject,
                             "messaging.message.id": d.envelope.id, "camket.stream_sequence": d.sequence,
                             "camket.task_id": str(d.task_id), "camket.task_version": d.version})
    return span


def _parent(headers: Mapping[str, str]) -> Context | None:
    """The publisher's span as parent. A bare `traceparent` (the usual case) is read directly, which
    is several times cheaper per message than the full propagator chain."""
    traceparent = headers.get("traceparent")
    if traceparent is None:
        return None
    if "tracestate" in headers or "baggage" in headers:
        return context_from(headers)
    parts = traceparent.split("-")
    try:
        version, trace_id, span_id, flags = parts[0], int(parts[1], 16), int(parts[2], 16), int(parts[3][:2], 16)
    except (IndexError, ValueError):
        return None
    if len(parts) != 4 or version == "ff" or not trace_id or not span_id:
        return None
    parent = SpanContext(trace_id, span_id, is_remote=True, trace_flags=TraceFlags(flags))
    return trace.set_span_in_context(NonRecordingSpan(parent))


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
