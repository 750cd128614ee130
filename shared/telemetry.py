"""OpenTelemetry: one tracer provider per process, and W3C trace
context carried in message headers so one trace follows a command through the store, NATS and
each consumer. The exporter is configurable: none, console or OTLP over HTTP. HTTP server
spans come from FastAPI's own telemetry, which continues a caller's `traceparent`.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from fastapi.telemetry import TelemetryConfig
from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

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
    instrument_psycopg()


def instrument_psycopg() -> None:
    """A CLIENT span per statement (psycopg 3, sync and async), under the span that issued it."""
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor

    instrumentor = PsycopgInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(skip_dep_check=True)


def _exporter(kind: str, endpoint: str | None) -> SpanExporter | None:
    if kind == "console":
        return ConsoleSpanExporter()
    if kind == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=endpoint) if endpoint else OTLPSpanExporter()
    return None


def tracing_configured() -> bool:
    """Whether this process has a tracer provider (ours from setup_tracing, or one a test installed)."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def fastapi_telemetry() -> TelemetryConfig:
    """FastAPI's own telemetry, decided once when the app is built (after setup_tracing): server spans when
    tracing is on; no OpenTelemetry metrics or logs (metrics are Prometheus', logs go through `logging`).
    Left to itself FastAPI asks the three global providers on every request whether to start."""
    return {"tracing": tracing_configured(), "metrics": False, "logs": False}


def traceparent() -> str | None:
    """The current trace context as a W3C `traceparent`, or None (at once when tracing is off: then no
    request carries a span, FastAPI's server spans being off too)."""
    if not tracing_configured():
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def inject_headers(headers: MutableMapping[str, str]) -> None:
    propagate.inject(headers)


def context_from(headers: Mapping[str, str]) -> context.Context:
    return propagate.extract(dict(headers))
