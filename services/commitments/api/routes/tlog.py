"""The event log as C2SP tlog-tiles under /tlog/: the checkpoint, hash tiles and entry bundles.

Read-only and cacheable: a full tile never changes (immutable, a year), a partial tile or the checkpoint
may be replaced by a larger one (a few seconds). No token is needed when CAMKET_COMMITMENTS_TLOG_OPEN is on (the
default: open inside the province's network); otherwise any valid token of the service reads it. Tiles are
served only up to the latest signed checkpoint, so what a reader fetches always matches a signed root.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from psycopg.errors import UndefinedTable

from commitments.api.deps import ContainerDep, get_principal
from commitments.audit.application.service import AuditService
from commitments.audit.domain.tlog import tiles
from shared.problems import problem

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=5"


async def _reader(request: Request, container: ContainerDep,
                  authorization: Annotated[str | None, Header()] = None) -> AuditService:
    audit = container.audit()
    if not audit.tlog_open:
        await get_principal(request, authorization)
    return audit


router = APIRouter(prefix="/tlog", tags=["transparency log"])
ReaderDep = Annotated[AuditService, Depends(_reader)]


def _missing(detail: str, field: str) -> Response:
    return problem(404, "Not in the log", detail, field=field, headers={"Cache-Control": "no-store"})


@router.get("/checkpoint")
async def checkpoint(audit: ReaderDep) -> Response:
    try:
        text = await run_in_threadpool(audit.tlog_checkpoint)
    except UndefinedTable:  # before the sealer first ran there are no log tables: the log is not there yet
        text = None
    if text is None:
        return _missing("no signed checkpoint yet", "checkpoint")
    return Response(text, media_type="text/plain; charset=utf-8", headers={"Cache-Control": SHORT})


@router.get("/tile/{level}/{rest:path}")
async def tile(level: str, rest: str, audit: ReaderDep) -> Response:
    wanted = tiles.parse_path(level, rest)
    if wanted is None:
        return _missing(f"no such tile path: {level}/{rest}", "path")
    try:
        data = await run_in_threadpool(audit.tlog_tile, wanted)
    except UndefinedTable:
        data = None
    if data is None:
        return _missing(f"tile {level}/{rest} is beyond the latest signed checkpoint", "path")
    return Response(data, media_type="application/octet-stream",
                    headers={"Cache-Control": IMMUTABLE if wanted.full else SHORT})


def install(app: FastAPI) -> None:
    app.include_router(router)
