"""The FastAPI application of the notifications service. With `background=True` (the default for
`camket serve notifications`) the same process runs the consumer, scheduler, outbox and deliveries."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from notifications.api import problems
from notifications.api.routes import alerts, briefings, deliveries, programs, subscriptions
from notifications.bootstrap import Container
from notifications.integration.runtime import Runtime
from notifications.observed import notifications_probes
from shared.limits import BodyLimit
from shared.observability import endpoints
from shared.stream_consumer.parking import count_parked, count_rejected


def create_app(container: Container, *, background: bool = False) -> FastAPI:
    runtime = Runtime(container) if background else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await container.open()
        if runtime is not None:
            await runtime.start()
        try:
            yield
        finally:
            if runtime is not None:
                await runtime.stop()
            await container.close()

    app = FastAPI(title="Cam kết — notifications", version="1.0.0", lifespan=lifespan,
                  description="Alerts on the key work program's tasks (deadlines approaching, overdue, no progress, "
                              "behind pace, revisions, waiting confirmations), their subscriptions and deliveries, "
                              "and the weekly and monthly briefings. Errors are RFC 9457 problem details.")
    app.state.container = container
    problems.install(app)
    for router in (alerts.router, subscriptions.router, deliveries.router, programs.router, briefings.router):
        app.include_router(router)
    endpoints.install(app, notifications_probes(container, runtime))

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, Any]:
        body: dict[str, Any] = {"status": "ok", "service": "notifications", "now": container.clock().isoformat()}
        if runtime is not None and runtime.consumer is not None:
            body["consumer"] = runtime.consumer.stats.as_dict()
        # From the tables: an API-only replica (or a consumer that has not started yet) says it too.
        with contextlib.suppress(Exception):  # a database that does not answer is for readiness to say
            async with container.db.transaction() as conn:
                schema, name = container.settings.db_schema, container.settings.consumer_durable
                body["parked"] = await count_parked(conn, schema, name)
                body["rejected"] = await count_rejected(conn, schema, name)
            if body["parked"] or body["rejected"]:
                body["status"] = "degraded"
        return body

    app.add_middleware(BodyLimit, max_bytes=container.settings.max_body_bytes)
    return app
