"""The FastAPI application of the commitments service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from commitments.api import problems
from commitments.api.routes import audit, commands, drafts, evidence, preview, queries, tlog, workspace
from commitments.bootstrap import Container
from shared.limits import BodyLimit
from shared.observability import endpoints
from shared.observability import probes as checks
from shared.telemetry import fastapi_telemetry


def create_app(container: Container) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        container.batcher.start()
        try:
            yield
        finally:
            container.close()

    app = FastAPI(title="Cam kết — commitments", version="1.0.0", lifespan=lifespan, telemetry=fastapi_telemetry(),
                  description="Tasks of the annual key work program and each unit's commitments to the Board "
                              "(Chương trình công tác trọng tâm, cam kết thực hiện nhiệm vụ). Every change is an "
                              "event; errors are RFC 9457 problem details naming the field.")
    app.state.container = container
    problems.install(app)
    app.include_router(preview.router)  # before the task routes: "preview" is no task id
    app.include_router(commands.router)  # with the proposal routes of `workspace`
    app.include_router(workspace.units)
    app.include_router(queries.router)
    app.include_router(evidence.router)
    drafts.install(app)
    audit.install(app)
    tlog.install(app)

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": "commitments"}

    endpoints.install(app, checks.Probes("commitments").check(
        "database", checks.database(container.settings.database_url)))
    # Evidence uploads are bytes, not JSON, and bounded by their own route (evidence_max_bytes); so is a
    # notice's upload into a draft (multipart, MAX_NOTICE_BYTES), at exactly its path.
    app.add_middleware(BodyLimit, max_bytes=container.settings.max_body_bytes, streamed=(evidence.router.prefix,),
                       streamed_paths=(drafts.PREFIX,))
    return app


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` and for each worker process: settings from CAMKET_* variables."""
    from commitments.bootstrap import build
    from commitments.config import CommitmentsSettings
    from shared.observability.logs import setup_logging
    from shared.telemetry import setup_tracing

    settings = CommitmentsSettings()
    setup_logging("commitments", settings.log_format)
    setup_tracing("commitments", settings.otel_exporter, settings.otel_endpoint)
    return create_app(build(settings))
