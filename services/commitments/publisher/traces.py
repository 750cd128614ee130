"""One trace from the HTTP request to every consumer.

The request's W3C trace context is stored with its command record (`commitments_commands`:
task id, first and last version recorded, traceparent), in the same transaction as its events.
The publisher finds it for each event it publishes, starts a PRODUCER span as that request span's
child, and sends the publish span's own context in the message's `traceparent` header, so each
consumer's span is in turn a child of the publish span. The span ends when the stream acknowledges.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from uuid import UUID

from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from psycopg.sql import SQL

from commitments.persistence.postgres import PostgresCommitmentsRecorder
from commitments.publisher.link import Ack
from commitments.publisher.outgoing import Outgoing

_tracer = trace.get_tracer("commitments.publisher")


class CommandTraces:
    """Looks up, for (task id, version) pairs, the traceparent of the command that recorded them."""

    def __init__(self, recorder: PostgresCommitmentsRecorder) -> None:
        self._recorder = recorder
        self._query = SQL(
            "SELECT e.task_id, e.version, c.traceparent FROM unnest(%s::uuid[], %s::int[]) AS e(task_id, version) "
            "JOIN {} c ON c.task_id = e.task_id AND e.version BETWEEN c.first_version AND c.last_version "
            "WHERE c.traceparent IS NOT NULL").format(recorder.commands_table)

    def __call__(self, keys: Sequence[tuple[UUID, int]]) -> dict[tuple[UUID, int], str]:
        with self._recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._query, ([k[0] for k in keys], [k[1] for k in keys]))
            return {(row["task_id"], row["version"]): row["traceparent"] for row in curs.fetchall()}


def start_publish_span(message: Outgoing, stream: str) -> tuple[Span | None, dict[str, str]]:
    """The publish span (a child of the recording request's span) and the headers that carry it on."""
    if message.parent is None:
        return None, message.headers
    parent = propagate.extract({"traceparent": message.parent})
    span = _tracer.start_span(f"publish {stream}", context=parent, kind=SpanKind.PRODUCER, attributes={
        "messaging.system": "nats", "messaging.operation.type": "publish",
        "messaging.destination.name": message.subject, "messaging.message.id": message.event_id,
        "camket.notification_id": message.notification_id})
    headers = dict(message.headers)
    propagate.inject(headers, context=trace.set_span_in_context(span))
    # With tracing off in this process the span is not recorded and injects nothing: pass the
    # request's context on unchanged, so consumers still join the request's trace.
    headers.setdefault("traceparent", message.parent)
    return span, headers


def end_on_ack(span: Span, ack: asyncio.Future[Ack]) -> None:
    def done(future: asyncio.Future[Ack]) -> None:
        error = future.exception() if not future.cancelled() else None
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, str(error)))
        elif not future.cancelled():
            span.set_attribute("messaging.nats.stream.sequence", future.result().seq)
        span.end()

    ack.add_done_callback(done)
