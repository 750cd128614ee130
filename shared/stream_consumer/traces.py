"""Telemetry of the consumer: a CONSUMER span per event continuing the publisher's trace, and counters."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from opentelemetry import metrics, trace
from opentelemetry.context import Context
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, TraceFlags

from shared.stream_consumer.order import Delivery
from shared.telemetry import context_from

if TYPE_CHECKING:
    from shared.stream_consumer.batch import BatchOutcome

log = logging.getLogger("shared.stream_consumer")
_tracer = trace.get_tracer("shared.stream_consumer")
_meter = metrics.get_meter("shared.stream_consumer")
_applied = _meter.create_counter("camket.consumer.applied", description="task events applied to read models")
_duplicates = _meter.create_counter("camket.consumer.duplicates", description="redelivered or re-sent events dropped")
_gaps = _meter.create_counter("camket.consumer.gaps", description="events held because a task version is missing")
_rejected = _meter.create_counter("camket.consumer.rejected", description="messages that are no valid task event")


def span_of(consumer: str, d: Delivery) -> Span:
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


def report(consumer: str, outcome: BatchOutcome) -> None:
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
