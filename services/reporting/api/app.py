"""The FastAPI application of the reporting service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from reporting.api import problems
from reporting.api.routes import program, reports, tasks
from reporting.bootstrap import Container
from reporting.observed import reporting_probes
from reporting.web import install as install_dashboard
from shared.clocks import ShiftedClock
from shared.limits import FORM, JSON, BodyLimit
from shared.observability import endpoints
from shared.stream_consumer.parking import count_parked, count_rejected


def create_app(container: Container) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await container.start()
        try:
            yield
        finally:
            await container.close()

    app = FastAPI(title="Cam kết — reporting", version="1.0.0", lifespan=lifespan,
                  description="Read models of the task events: status in the official Vietnamese wording, progress "
                              "history, period reports, briefings (trực báo tuần, tháng) and the year-end "
                              "evaluation. Any authenticated role may read; the year-end evaluation is for the Board "
                              "and the Inspectorate. Errors are RFC 9457 problem details.")
    app.state.container = container
    if container.settings.demo_now is not None:  # the sandbox's simulated "now" (see get_now)
        app.state.clock = ShiftedClock(container.settings.demo_now)
    problems.install(app)
    for module in (tasks, program, reports):
        app.include_router(module.router)
    install_dashboard(app)  # the pages in Vietnamese, their exports and static files
    endpoints.install(app, reporting_probes(container.settings, lambda: container.consumer, lambda: container.nc,
                                            consuming=container.settings.consume))

    @app.get("/health", tags=["health"])
    async def health() -> JSONResponse:
        """Up when the read models answer; the consumer's position, lag and counters beside. "degraded"
        while the consumer has parked or rejected messages (`camket reporting parked` lists them)."""
        body: dict[str, Any] = {"service": "reporting", "schema": container.settings.db_schema}
        stats = container.consumer_stats
        body["consumer"] = stats.as_dict() if stats else None
        try:
            async with container.pool.connection(timeout=2) as conn:
                # Read from the table: the consumer may run in another process (`camket reporting consume`).
                schema, name = container.settings.db_schema, container.settings.consumer_name
                parked, rejected = await count_parked(conn, schema, name), await count_rejected(conn, schema, name)
        except Exception as error:
            return JSONResponse(body | {"status": "unavailable", "error": type(error).__name__}, status_code=503)
        status = "degraded" if parked or rejected else "ok"
        return JSONResponse(body | {"status": status, "parked": parked, "rejected": rejected})

    # The sign-in form's body is a token, a few kB: the limit keeps it so. The workspace forms carry
    # evidence files and bound their own bodies (reporting.web.workspace.uploads).
    app.add_middleware(BodyLimit, max_bytes=container.settings.max_body_bytes, media_types=(*JSON, *FORM),
                       streamed=("/workspace/",))
    return app
