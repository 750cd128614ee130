"""OpenTelemetry: one tracer provider per process, a server span per HTTP request, and W3C trace
context carried in message headers so one trace follows a command through the store, NATS and
each consumer. The exporter is configurable: none, console or OTLP over HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_state = {"configured": False}


def setup_tracing(service: str, exporter: str = "none", endpoint: str | None = None,
                  span_exporter: SpanExporter | None = None) -> None:
    """Installs the global tracer provider once per process (tests may pass their own exporter)."""
    if _state["configured"]:
        return
    chosen = span_exporter or _exporter(exporter, endpoint)
    if chosen is None:
        return  # tracing off: the API's no-op tracer costs next to nothing per request
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(chosen))
    trace.set_tracer_provider(provider)
    _state["configured"] = True


def _exporter(kind: str, endpoint: str | None) -> SpanExporter | None:
    if kind == "console":
        return ConsoleSpanExporter()
    if kind == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=endpoint) if endpoint else OTLPSpanExporter()
    return None


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def inject_headers(headers: MutableMapping[str, str]) -> None:
    propagate.inject(headers)


def context_from(headers: Mapping[str, str]) -> context.Context:
    return propagate.extract(dict(headers))


class TracingMiddleware:
    """A SERVER span per request, continuing the caller's trace when it sends `traceparent`."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app, self._tracer = app, trace.get_tracer(service)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        route = scope.get("route")
        name = f"{scope['method']} {getattr(route, 'path', scope['path'])}"
        with self._tracer.start_as_current_span(name, context=context_from(headers), kind=SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", scope["method"])
            span.set_attribute("url.path", scope["path"])

            async def traced_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            await self.app(scope, receive, traced_send)
