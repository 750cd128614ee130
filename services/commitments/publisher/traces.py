"""One trace from the HTTP request to every consumer.

The request's W3C trace context is stored with its command record (`commitments_commands`:
task id, first and last version recorded, traceparent), in the same transaction as its events.
The publisher finds it for each event it publishes, starts a PRODUCER span as that request span's
child, and sends the publish span's own context in the message's `traceparent` header, so each
consumer's span is in turn a child of the publish span. The span ends when the stream has
acknowledged the window the message went out in.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from psycopg.sql import SQL

from commitments.persistence.postgres import PostgresCommitmentsRecorder
from commitments.publisher.outgoing import Outgoing

_tracer = trace.get_tracer("commitments.publisher")


class CommandTraces:
    """Looks up, for (task id, version) pairs, the traceparent of the command that recorded them.

    One index probe per task of a window (`commitments_commands_by_task`: task id, last version):
    the commands whose versions meet the window's versions of that task, at most one per version.
    """

    def __init__(self, recorder: PostgresCommitmentsRecorder) -> None:
        self._recorder = recorder
        self._query = SQL(
            "SELECT w.task_id, c.first_version, c.last_version, c.traceparent "
            "FROM unnest(%s::uuid[], %s::int[], %s::int[]) AS w(task_id, low, high) "
            "CROSS JOIN LATERAL (SELECT first_version, last_version, traceparent FROM {} AS k "
            "  WHERE k.task_id = w.task_id AND k.last_version >= w.low "
            "  ORDER BY k.last_version LIMIT w.high - w.low + 1) AS c "
            "WHERE c.first_version <= w.high AND c.traceparent IS NOT NULL").format(recorder.commands_table)

    def __call__(self, keys: Sequence[tuple[UUID, int]]) -> dict[tuple[UUID, int], str]:
        spans: dict[UUID, tuple[int, int]] = {}
        for task_id, version in keys:
            low, high = spans.get(task_id, (version, version))
            spans[task_id] = (min(low, version), max(high, version))
        with self._recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._query, (list(spans), [s[0] for s in spans.values()], [s[1] for s in spans.values()]))
            rows = curs.fetchall()
        wanted = set(keys)
        return {(row["task_id"], v): row["traceparent"] for row in rows
                for v in range(row["first_version"], row["last_version"] + 1) if (row["task_id"], v) in wanted}


def start_publish_span(message: Outgoing, stream: str) -> tuple[Span | None, dict[str, str]]:
    """The publish span (a child of the recording request's span) and the headers that carry it on
    (added after the message's own)."""
    if message.parent is None:
        return None, {}
    parent = propagate.extract({"traceparent": message.parent})
    span = _tracer.start_span(f"publish {stream}", context=parent, kind=SpanKind.PRODUCER, attributes={
        "messaging.system": "nats", "messaging.operation.type": "publish",
        "messaging.destination.name": message.subject, "messaging.message.id": message.event_id,
        "camket.notification_id": message.notification_id})
    headers: dict[str, str] = {}
    propagate.inject(headers, context=trace.set_span_in_context(span))
    # With tracing off in this process the span is not recorded and injects nothing: pass the
    # request's context on unchanged, so consumers still join the request's trace.
    headers.setdefault("traceparent", message.parent)
    return span, headers


def end_spans(spans: list[Span], error: BaseException | None, stream_seq: int | None = None) -> None:
    """Ends a window's publish spans once the stream has answered for it."""
    for span in spans:
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, str(error) or type(error).__name__))
        elif stream_seq is not None:
            span.set_attribute("messaging.nats.window.last_sequence", stream_seq)
        span.end()
