"""/metrics, /healthz and /readyz on a FastAPI application, and the request counters.

The request metrics label by route template (`/api/v1/tasks/{task_id}`), never by the raw path, so
a scan of random URLs cannot blow up the number of series.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS, exposition
from shared.observability.probes import Probes

OPS_PATHS = frozenset({"/metrics", "/healthz", "/readyz"})


def install(app: FastAPI, probes: Probes) -> None:
    app.add_middleware(RequestMetrics, service=probes.service)

    @app.get("/healthz", tags=["health"], summary="Alive: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "service": probes.service}

    @app.get("/readyz", tags=["health"], summary="Ready: PostgreSQL and NATS reachable, consumers moving")
    async def readyz() -> JSONResponse:
        ready, body = await probes.readiness()
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["health"], summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        await probes.refresh()
        body, content_type = exposition()
        return Response(body, media_type=content_type)


class RequestMetrics:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPS_PATHS:
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = _route(scope)
            HTTP_REQUESTS.labels(self.service, scope["method"], route, str(status[0])).inc()
            HTTP_LATENCY.labels(self.service, scope["method"], route).observe(time.perf_counter() - started)


def _route(scope: MutableMapping[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"
