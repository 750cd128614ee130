"""Audit routes for the Inspectorate (inspector) and the Board (board); every other role gets 403.

Each request, allowed or refused, is recorded in the access log with its outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import psycopg
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from psycopg_pool import PoolTimeout

from commitments.api.deps import ContainerDep, PrincipalDep
from commitments.api.problems import BadRequest, problem
from commitments.application.permissions import Forbidden
from commitments.audit.access import may_read_audit
from commitments.audit.bootstrap import checkpoint_keys, event_keys
from commitments.audit.bundle import ExportRefused, Scope
from commitments.audit.config import AuditSettings
from commitments.audit.encoding import pretty_json
from commitments.audit.reader import ForgedRecord, NotRecorded
from commitments.audit.search import KINDS, ChangeQuery
from commitments.audit.service import AuditService
from commitments.bootstrap import Container
from commitments.domain.errors import DomainError, TaskNotFound
from shared.periods import InvalidPeriod, ReportingPeriod

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
_lock = threading.Lock()
UNIT = r"^[a-z0-9][a-z0-9-]{0,62}$"
_STATUS: dict[type[Exception], int] = {TaskNotFound: 404, NotRecorded: 404, ForgedRecord: 409,
                                       ExportRefused: 409, DomainError: 422}


BIGINT = 2**63 - 1  # no id or version is larger; PostgreSQL refuses a bigger number (it was a 500)

def audit_for(container: Container) -> AuditService:
    """The container's audit service; built from the settings on first use unless one was given."""
    with _lock:
        service = container.extras.get("audit")
        if service is None:
            settings = AuditSettings(**container.settings.model_dump())
            service = AuditService(settings, container.app, event_keys(settings), checkpoint_keys(settings))
            container.extras["audit"] = service
        return service


def _outcome(error: Exception) -> int:
    if isinstance(error, BadRequest):
        return error.status
    return next((status for kind, status in _STATUS.items() if isinstance(error, kind)), 500)


def audited(view: str) -> Any:
    def dependency(request: Request, principal: PrincipalDep, container: ContainerDep) -> Iterator[AuditService]:
        audit = audit_for(container)
        subject = request.path_params.get("task_id") or request.query_params.get("unit")
        query = dict(request.query_params)
        if not may_read_audit(principal):
            audit.record_access(principal, view, subject, query, 403)
            raise Forbidden("the audit views are for the Inspectorate (inspector) and the Board (board)")
        outcome = 200
        try:
            yield audit
        except Exception as error:
            outcome = _outcome(error)
            raise
        finally:
            audit.record_access(principal, view, subject, query, outcome)

    return Depends(dependency)


def _instant(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise BadRequest(f"{field} needs a time zone, e.g. 2025-06-30T23:59:59+07:00", field, 422)
    return value


def _period(code: str) -> ReportingPeriod:
    try:
        return ReportingPeriod.parse(code)
    except InvalidPeriod as error:
        raise BadRequest(str(error), "period", 422) from None


@router.get("/tasks/{task_id}/history", summary="Every change: actor, unit, role, times, reason, approval, diff")
async def history(task_id: UUID, audit: Annotated[AuditService, audited("history")],
                  after: Annotated[int, Query(ge=0, le=BIGINT, description="Last version already read")] = 0,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> dict[str, Any]:
    return await run_in_threadpool(audit.history, task_id, after, limit)


@router.get("/tasks/{task_id}/as-of", summary="The task as recorded at an instant, with its status then")
async def as_of(task_id: UUID, at: datetime, audit: Annotated[AuditService, audited("as_of")]) -> dict[str, Any]:
    return await run_in_threadpool(audit.as_of, task_id, _instant(at, "at"))


@router.get("/tasks/{task_id}/reported-for", summary="The task as reported for a period vs as recorded by its end")
async def reported_for(task_id: UUID, audit: Annotated[AuditService, audited("reported_for")],
                       period: Annotated[str, Query(description="2025-06, 2025-Q2, 2025-H1, 2025-9M, 2025")]
                       ) -> dict[str, Any]:
    return await run_in_threadpool(audit.reported_for, task_id, _period(period))


@router.get("/program/as-of", summary="The program's dashboard figures as they stood at the end of a day")
async def program_as_of(audit: Annotated[AuditService, audited("program_as_of")],
                        day: Annotated[date, Query(alias="date", description="A civil day in Vietnam")],
                        program_year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict[str, Any]:
    return await run_in_threadpool(audit.program_as_of, day, program_year)


@router.get("/changes", summary="Search changes by actor, unit, kind and date range")
async def changes(audit: Annotated[AuditService, audited("changes")],
                  actor: Annotated[str | None, Query(max_length=200)] = None,
                  unit: Annotated[str | None, Query(pattern=UNIT)] = None,
                  actor_unit: Annotated[str | None, Query(pattern=UNIT)] = None,
                  kind: Annotated[list[str] | None, Query(description=f"One of {sorted(KINDS)}")] = None,
                  task_id: UUID | None = None, start: Annotated[date | None, Query(alias="from")] = None,
                  end: Annotated[date | None, Query(alias="to")] = None,
                  basis: Literal["recorded", "effective", "approved"] = "recorded",
                  after: Annotated[int, Query(ge=0, le=BIGINT)] = 0,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    unknown = sorted(set(kind or ()) - KINDS)
    if unknown:
        raise BadRequest(f"unknown kinds {unknown}; use {sorted(KINDS)}", "kind", 422)
    if start and end and start > end:
        raise BadRequest("'from' is after 'to'", "from", 422)
    query = ChangeQuery(actor=actor, unit=unit, actor_unit=actor_unit, kinds=tuple(kind or ()), task_id=task_id,
                        start=start, end=end, basis=basis, after=after, limit=limit)
    return await run_in_threadpool(audit.search, query)


@router.get("/verify", summary="Recompute the audit tree; report the first change and any forged row")
async def verify(audit: Annotated[AuditService, audited("verify")]) -> dict[str, Any]:
    published, note = await audit.published_checkpoints()
    report = await run_in_threadpool(audit.verify, published, note)
    return report.as_dict()


@router.get("/export", summary="An audit bundle (task, unit or program), verifiable offline")
async def export(audit: Annotated[AuditService, audited("export")],
                 scope: Literal["task", "unit", "program"], task_id: UUID | None = None,
                 unit: Annotated[str | None, Query(pattern=UNIT)] = None) -> Response:
    if scope == "task" and task_id is None:
        raise BadRequest("a task bundle needs task_id", "task_id", 422)
    if scope == "unit" and unit is None:
        raise BadRequest("a unit bundle needs unit", "unit", 422)
    bundle = await run_in_threadpool(audit.export, Scope(scope, task_id, unit))
    name = f"camket-audit-{scope}-{task_id or unit or 'program'}.json"
    return Response(pretty_json(bundle), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/checkpoints", summary="The signed checkpoints stored so far")
async def checkpoints(audit: Annotated[AuditService, audited("checkpoints")]) -> dict[str, Any]:
    found = await run_in_threadpool(audit.checkpoints)
    return {"count": len(found), "checkpoints": found}


@router.get("/access-log", summary="Who read what in the audit views (newest first)")
async def access_log(audit: Annotated[AuditService, audited("access_log")],
                     user: Annotated[str | None, Query(max_length=200)] = None, since: datetime | None = None,
                     before_id: Annotated[int | None, Query(ge=1, le=BIGINT)] = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    entries = await run_in_threadpool(audit.access_log, user, _instant(since, "since") if since else None,
                                      before_id, limit)
    return {"count": len(entries), "entries": entries}


def install(app: FastAPI) -> None:
    """Adds the audit routes and the answers to the audit's own errors (RFC 9457 problem details)."""
    app.include_router(router)
    handlers: dict[type[Exception], Any] = {
        ForgedRecord: lambda e: problem(409, "Stored history fails verification", str(e), field="task_id"),
        ExportRefused: lambda e: problem(409, "Export refused", str(e)),
        NotRecorded: lambda e: problem(404, "Not recorded", str(e)),
        psycopg.OperationalError: lambda e: problem(503, "Database unavailable", "retry", headers={
            "Retry-After": "2"}),
        PoolTimeout: lambda e: problem(503, "Database unavailable", "retry", headers={"Retry-After": "2"}),
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, _async(handler))


def _async(handler: Any) -> Any:
    async def run(_: Request, error: Exception) -> Any:
        return handler(error)

    return run
