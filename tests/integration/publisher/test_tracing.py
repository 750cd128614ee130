"""One trace from the HTTP request to the stream: the publish span is a descendant of the request's
span, and the message carries the publish span's context on to consumers."""

from __future__ import annotations

from pathlib import Path

import nats
import pytest
from opentelemetry import propagate, trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from shared.subjects import Subjects
from shared.telemetry import setup_tracing
from tests.integration.publisher.http import api
from tests.integration.publisher.running import running
from tests.integration.publisher.stream import read_stream


@pytest.fixture
def spans() -> InMemorySpanExporter:
    """An in-memory exporter on the process's tracer provider (installed here unless a test before did)."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        setup_tracing("camket-tests", span_exporter=InMemorySpanExporter())
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        pytest.skip("a tracer provider other than the SDK's was installed in this process")
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


def ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[int]:
    chain = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        chain.append(span.context.span_id)
    return chain


async def test_the_publish_span_descends_from_the_http_request_span(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, spans: InMemorySpanExporter,
        cleanup_streams: list[str], tmp_path: Path) -> None:
    async with api(settings, store, tmp_path / "keys") as http, running(settings) as publisher:
        with trace.get_tracer("a client").start_as_current_span("register", kind=SpanKind.CLIENT) as client:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            task = await http.register(1, headers=carrier)
        await publisher.wait_for(store.recorder.max_notification_id() or 0, 10)
    finished = spans.get_finished_spans()
    by_id = {s.context.span_id: s for s in finished}
    publish = next(s for s in finished if s.kind is SpanKind.PRODUCER)
    chain = [by_id[a] for a in ancestors(publish, by_id)]
    assert any(s.kind is SpanKind.SERVER and s.name == "POST /api/v1/tasks" for s in chain), chain
    assert chain[-1].context.span_id == client.get_span_context().span_id
    assert publish.context.trace_id == client.get_span_context().trace_id

    nc = await nats.connect(settings.nats_url)
    try:
        [message] = await read_stream(nc.jetstream(), subjects.events_stream)
    finally:
        await nc.close()
    assert publish.attributes is not None and publish.attributes["messaging.message.id"] == message.headers["ce-id"]
    assert message.headers["ce-subject"] == task["task_id"]
    version, trace_id, parent_id, _flags = message.headers["traceparent"].split("-")
    assert (version, trace_id, parent_id) == ("00", f"{publish.context.trace_id:032x}",
                                              f"{publish.context.span_id:016x}")
