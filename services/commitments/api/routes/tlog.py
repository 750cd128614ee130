"""The event log as C2SP tlog-tiles under /tlog/: the checkpoint, hash tiles and entry bundles.

Read-only and cacheable: a full tile never changes (immutable, a year), a partial tile or the checkpoint
may be replaced by a larger one (a few seconds). No token is needed when CAMKET_TLOG_OPEN is on (the
default: open inside the province's network); otherwise any valid token of the service reads it. Tiles are
served only up to the latest signed checkpoint, so what a reader fetches always matches a signed root.
"""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from psycopg.errors import UndefinedTable

from commitments.api.deps import ContainerDep, get_principal
from commitments.api.routes.audited import audit_for
from commitments.audit.application.service import AuditService
from commitments.audit.application.tlog import reading
from commitments.audit.domain.tlog import tiles
from commitments.audit.domain.tlog.checkpoint import parse_body
from commitments.audit.adapters.tlog.store import TlogStore

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=5"


async def _reader(request: Request, container: ContainerDep,
                  authorization: Annotated[str | None, Header()] = None) -> AuditService:
    audit = audit_for(container)
    if not audit.settings.tlog_open:
        await get_principal(request, authorization)
    return audit


router = APIRouter(prefix="/tlog", tags=["transparency log"])
ReaderDep = Annotated[AuditService, Depends(_reader)]


def _store(audit: AuditService) -> TlogStore:
    return TlogStore(audit.tables)


def _no_log_yet() -> contextlib.AbstractContextManager[None]:
    """Before the sealer first ran there are no log tables: the log is simply not there yet (404)."""
    return contextlib.suppress(UndefinedTable)


def _missing() -> Response:
    return Response("not found\n", status_code=404, media_type="text/plain", headers={"Cache-Control": "no-store"})


@router.get("/checkpoint")
async def checkpoint(audit: ReaderDep) -> Response:
    def read() -> str | None:
        with audit.connection() as conn, _no_log_yet():
            note = reading.checkpoint_note(_store(audit), conn)
            return None if note is None else note.text()
        return None
    text = await run_in_threadpool(read)
    if text is None:
        return _missing()
    return Response(text, media_type="text/plain; charset=utf-8", headers={"Cache-Control": SHORT})


@router.get("/tile/{level}/{rest:path}")
async def tile(level: str, rest: str, audit: ReaderDep) -> Response:
    wanted = tiles.parse_path(level, rest)
    if wanted is None:
        return _missing()

    def read() -> bytes | None:
        with audit.connection() as conn, _no_log_yet():
            store = _store(audit)
            note = reading.checkpoint_note(store, conn)
            return None if note is None else reading.tile_bytes(store, conn, wanted, parse_body(note.body).size)
        return None
    data = await run_in_threadpool(read)
    if data is None:
        return _missing()
    return Response(data, media_type="application/octet-stream",
                    headers={"Cache-Control": IMMUTABLE if wanted.full else SHORT})


def install(app: FastAPI) -> None:
    app.include_router(router)
