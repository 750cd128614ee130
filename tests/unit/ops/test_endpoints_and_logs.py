"""The request metrics label by route template; /healthz and /readyz answer; log records carry the
trace and span ids of the span they are written in (JSON) — all in memory."""

from __future__ import annotations

import io
import json
import logging
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider

from shared.observability import endpoints
from shared.observability.logs import TraceIds, setup_logging
from shared.observability.probes import Probes


def app_with(probes: Probes) -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    endpoints.install(app, probes)
    return app


def test_requests_are_counted_by_route_template_not_raw_path() -> None:
    service = f"t{uuid.uuid4().hex[:8]}"
    client = TestClient(app_with(Probes(service)))
    for path in ("/items/1", "/items/2", "/no/such/page"):
        client.get(path)
    text = client.get("/metrics").text
    labels = f'method="GET",route="/items/{{item_id}}",service="{service}",status="200"'
    assert f"camket_http_requests_total{{{labels}}} 2.0" in text
    assert f'route="unmatched",service="{service}",status="404"}} 1.0' in text
    assert "/items/1" not in text and f'route="/metrics",service="{service}"' not in text


def test_readiness_is_503_naming_the_failing_check() -> None:
    async def fine() -> str | None:
        return None

    async def away() -> str | None:
        raise ConnectionRefusedError("connection refused")

    client = TestClient(app_with(Probes("t").check("database", fine).check("nats", away)))
    assert client.get("/healthz").json()["status"] == "alive"
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"] == {"database": "ok", "nats": "ConnectionRefusedError: connection refused"}


def test_json_log_lines_carry_the_trace_of_their_span() -> None:
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        setup_logging("camket-test", "json")
        out = io.StringIO()
        handler = root.handlers[0]
        assert isinstance(handler, logging.StreamHandler) and any(isinstance(f, TraceIds) for f in handler.filters)
        handler.setStream(out)
        with TracerProvider().get_tracer("t").start_as_current_span("work") as span:
            logging.getLogger("camket.test").info("đã lưu %d sự kiện", 3)
        logging.getLogger("camket.test").warning("ngoài span")
        first, second = (json.loads(line) for line in out.getvalue().splitlines())
        context = span.get_span_context()
        assert first["message"] == "đã lưu 3 sự kiện" and first["service"] == "camket-test"
        assert first["trace_id"] == f"{context.trace_id:032x}" and first["span_id"] == f"{context.span_id:016x}"
        assert second["level"] == "WARNING" and second["trace_id"] is None
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
