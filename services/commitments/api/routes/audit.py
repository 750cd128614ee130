"""Audit routes for the Inspectorate (inspector) and the Board (board); every other role gets 403.

Each request, allowed or refused, is recorded in the access log with its outcome before its answer
leaves (audited.py); one that cannot be recorded gets a 503.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import psycopg
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from psycopg_pool import PoolTimeout

from commitments.api.deps import ContainerDep, PrincipalDep
from commitments.api.problems import BadRequest
from commitments.api.routes.audited import PRINCIPAL, AuditedRoute
from commitments.application.permissions import Forbidden
from commitments.audit.adapters.search import KINDS
from commitments.audit.application.ports import ChangeQuery
from commitments.audit.application.service import AuditService
from commitments.audit.domain.access import may_read_audit
from commitments.audit.domain.bundle_format import Scope
from commitments.audit.domain.encoding import pretty_json
from commitments.audit.domain.errors import ExportRefused, ForgedRecord, NotRecorded
from commitments.audit.domain.tlog.scope import TlogScope
from shared import problems
from shared.instants import civil_day, utc_instant
from shared.periods import InvalidPeriod, ReportingPeriod
from shared.problems import problem
from shared.text import SafeLine

router = APIRouter(prefix="/api/v1/audit", tags=["audit"], route_class=AuditedRoute)
UNIT = r"^[a-z0-9][a-z0-9-]{0,62}$"


BIGINT = 2**63 - 1  # no id or version is larger; PostgreSQL refuses a bigger number (it was a 500)


async def audited(request: Request, principal: PrincipalDep, container: ContainerDep) -> AuditService:
    """The audit service, for the Inspectorate and the Board; the route class records the request."""
    setattr(request.state, PRINCIPAL, principal)
    if not may_read_audit(principal):
        raise Forbidden("the audit views are for the Inspectorate (inspector) and the Board (board)")
    return container.audit()


Audited = Annotated[AuditService, Depends(audited)]


def _instant(value: datetime, field: str) -> datetime:
    return utc_instant(value, field)


def _period(code: str) -> ReportingPeriod:
    try:
        return ReportingPeriod.parse(code)
    except InvalidPeriod as error:
        raise BadRequest(str(error), "period", 422) from None


@router.get("/tasks/{task_id}/history", summary="Every change: actor, unit, role, times, reason, approval, diff")
async def history(task_id: UUID, audit: Audited,
                  after: Annotated[int, Query(ge=0, le=BIGINT, description="Last version already read")] = 0,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> dict[str, Any]:
    return await run_in_threadpool(audit.history, task_id, after, limit)


@router.get("/tasks/{task_id}/as-of", summary="The task as recorded at an instant, with its status then")
async def as_of(task_id: UUID, at: datetime, audit: Audited) -> dict[str, Any]:
    return await run_in_threadpool(audit.as_of, task_id, _instant(at, "at"))


@router.get("/tasks/{task_id}/reported-for", summary="The task as reported for a period vs as recorded by its end")
async def reported_for(task_id: UUID, audit: Audited,
                       period: Annotated[str, Query(description="2025-06, 2025-Q2, 2025-H1, 2025-9M, 2025")]
                       ) -> dict[str, Any]:
    return await run_in_threadpool(audit.reported_for, task_id, _period(period))


@router.get("/program/as-of", summary="The program's dashboard figures as they stood at the end of a day")
async def program_as_of(audit: Audited,
                        day: Annotated[date, Query(alias="date", description="A civil day in Vietnam")],
                        program_year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict[str, Any]:
    return await run_in_threadpool(audit.program_as_of, civil_day(day, "date"), program_year)


@router.get("/changes", summary="Search changes by actor, unit, kind and date range")
async def changes(audit: Audited,
                  actor: Annotated[SafeLine | None, Query(max_length=200)] = None,
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
    for name, value in (("from", start), ("to", end)):
        if value is not None:
            civil_day(value, name)
    if start and end and start > end:
        raise BadRequest("'from' is after 'to'", "from", 422)
    query = ChangeQuery(actor=actor, unit=unit, actor_unit=actor_unit, kinds=tuple(kind or ()), task_id=task_id,
                        start=start, end=end, basis=basis, after=after, limit=limit)
    return await run_in_threadpool(audit.search, query)


@router.get("/verify", summary="Recompute the audit tree; report the first change and any forged row")
async def verify(audit: Audited) -> dict[str, Any]:
    published, note = await audit.published_checkpoints()
    report = await run_in_threadpool(audit.verify, published, note)
    return report.as_dict()


@router.get("/export", summary="An audit bundle (task, unit or program), verifiable offline")
async def export(audit: Audited,
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


@router.get("/tlog-export", summary="A transparency-log bundle (task, unit, year or program), verifiable offline "
            "with the log's and the witnesses' public keys")
async def tlog_export(audit: Audited, scope: Literal["task", "unit", "year", "program"], task_id: UUID | None = None,
                      unit: Annotated[str | None, Query(pattern=UNIT)] = None,
                      year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    wanted = {"task": ("task_id", task_id), "unit": ("unit", unit), "year": ("year", year)}.get(scope)
    if wanted is not None and wanted[1] is None:
        raise BadRequest(f"a {scope} bundle needs {wanted[0]}", wanted[0], 422)
    bundle = await run_in_threadpool(audit.tlog_export, TlogScope(scope, task_id, unit, year))
    name = f"camket-tlog-{scope}-{task_id or unit or year or 'program'}.json"
    return Response(pretty_json(bundle), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/checkpoints", summary="The signed checkpoints stored so far")
async def checkpoints(audit: Audited) -> dict[str, Any]:
    found = await run_in_threadpool(audit.checkpoints)
    return {"count": len(found), "checkpoints": found}


@router.get("/access-log", summary="Who read what in the audit views (newest first)")
async def access_log(audit: Audited,
                     user: Annotated[str | None, Query(max_length=200)] = None, since: datetime | None = None,
                     before_id: Annotated[int | None, Query(ge=1, le=BIGINT)] = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    entries = await run_in_threadpool(audit.access_log, user, _instant(since, "since") if since else None,
                                      before_id, limit)
    return {"count": len(entries), "entries": entries}


# The audit's errors as problems, in one place (the route class records the status each one gets).
PROBLEMS: dict[type[Exception], problems.ToProblem] = {
    ForgedRecord: lambda e: problem(409, "Stored history fails verification", e.message, field=e.field),
    ExportRefused: lambda e: problem(409, "Export refused", e.message, field=e.field),
    NotRecorded: lambda e: problem(404, "Not recorded", e.message, field=e.field),
    psycopg.OperationalError: problems.unavailable("Database", "retry"),
    PoolTimeout: problems.unavailable("Database", "retry"),
}


def install(app: FastAPI) -> None:
    """Adds the audit routes and the answers to the audit's own errors (RFC 9457 problem details)."""
    app.include_router(router)
    problems.add(app, PROBLEMS)
