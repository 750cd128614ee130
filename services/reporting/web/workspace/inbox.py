""""Chờ phê duyệt": the Board's inbox — completion requests waiting for confirmation (from the read
model) and revision proposals waiting for a decision (from the commitments service, which holds the
open proposal until it is decided). Each row leads to the task's page, where the decision forms are."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reporting.application.present import unit_name
from reporting.application.queries import task_list
from reporting.web.context import ContextDep
from reporting.web.errors import PageError
from reporting.web.rendering import render
from reporting.web.workspace.offer import commitments_for
from shared.auth.actions import may_act

router = APIRouter(include_in_schema=False)


@router.get("/approvals", response_class=HTMLResponse)
async def approvals(request: Request, ctx: ContextDep) -> HTMLResponse:
    if not may_act(ctx.viewer.principal, "confirm_completion"):
        raise PageError(403, "Trang “Chờ phê duyệt” dành cho Ban Giám đốc.", "role")
    tasks = await task_list(ctx.reads, ctx.org, now=ctx.now)
    requests = [t for t in tasks if t.lifecycle == "awaiting_confirmation"]
    return render(request, "approvals.html", ctx.viewer, requests=requests, proposals=await _proposals(request),
                  unit_name=lambda code: unit_name(ctx.org, code))


async def _proposals(request: Request) -> list[dict[str, Any]] | None:
    """Tasks with an open revision proposal; None when the commitments service cannot be asked."""
    try:
        answer = await commitments_for(request).get("/api/v1/tasks")
    except Exception:  # the inbox still lists the completion requests
        return None
    if not answer.ok:
        return None
    rows = answer.body.get("tasks") or []
    return [r for r in rows if isinstance(r, dict) and r.get("open_proposal")]
