"""The Văn phòng's pages: /workspace/register — a task typed as the notice writes it, with "Xem
trước" showing how the target and deadline are read (the form re-rendered, so it works without
JavaScript) before "Ghi nhận nhiệm vụ" saves it; /workspace/reassign-unit — a unit merger in one form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reporting.application.present import unit_name
from reporting.application.queries import program_years
from reporting.web.context import ContextDep, PageContext
from reporting.web.errors import PageError
from reporting.web.rendering import render
from reporting.web.workspace.fields import form_field, vietnamese
from reporting.web.workspace.forms import FormState, new_form
from reporting.web.workspace.offer import commitments_for
from reporting.web.workspace.office_specs import REASSIGN_UNIT, REGISTER, preview_body
from reporting.web.workspace.specs import Spec
from reporting.web.workspace.task_actions import REFUSED, check_csrf
from reporting.web.workspace.uploads import read_form
from shared.auth.actions import may_act

router = APIRouter(include_in_schema=False)
PAGES = {"register": ("/workspace/register", REGISTER), "reassign_unit": ("/workspace/reassign-unit", REASSIGN_UNIT)}


def _allowed(ctx: PageContext, spec: Spec) -> None:
    if not may_act(ctx.viewer.principal, spec.action):
        raise PageError(403, "Trang này dành cho Văn phòng Sở. " + REFUSED, "role")


async def _page(request: Request, ctx: PageContext, form: FormState, *, status: int = 200,
                preview: dict[str, Any] | None = None, done: dict[str, Any] | None = None) -> HTMLResponse:
    return render(request, "office_form.html", ctx.viewer, status=status, form=form, preview=preview, done=done,
                  unit_label=lambda code: unit_name(ctx.org, code))


@router.get("/workspace/register", response_class=HTMLResponse)
@router.get("/workspace/reassign-unit", response_class=HTMLResponse)
async def office_form(request: Request, ctx: ContextDep) -> HTMLResponse:
    url, spec = next(p for p in PAGES.values() if p[0] == request.url.path)
    _allowed(ctx, spec)
    years = await program_years(ctx.reads, ctx.org)
    values = {"program_year": str(max(years))} if years and spec is REGISTER else {}
    return await _page(request, ctx, new_form(request, spec, url, values=values))


@router.post("/workspace/register")
@router.post("/workspace/reassign-unit")
async def office_submit(request: Request, ctx: ContextDep) -> Response:
    url, spec = next(p for p in PAGES.values() if p[0] == request.url.path)
    posted = await read_form(request, request.app.state.container.settings.evidence_max_bytes)
    check_csrf(request, posted)
    _allowed(ctx, spec)
    values, client = posted.values, commitments_for(request)
    if values.get("intent") == "preview":
        answer = await client.command("/api/v1/tasks/preview", preview_body(values), key="")
        again = new_form(request, spec, url, values=values, errors=_errors(answer.problem))
        again.key = values.get("idempotency_key") or again.key  # previewing records nothing: the same form
        return await _page(request, ctx, again, preview=answer.body if answer.ok else None,
                           status=200 if answer.ok else answer.status)
    path = spec.path.format(unit=values.get("unit", "") or "-")
    answer = await client.command(path, spec.body(values), key=values.get("idempotency_key", ""))
    if answer.ok and spec is REGISTER:
        return RedirectResponse(f"/tasks/{answer.body['task_id']}?v={answer.body['version']}#ket-qua", status_code=303)
    if answer.ok:
        return await _page(request, ctx, new_form(request, spec, url), done=answer.body)
    if answer.status in (401, 403):
        raise PageError(answer.status, vietnamese(answer.status, answer.problem.detail if answer.problem else ""))
    return await _page(request, ctx, new_form(request, spec, url, values=values, errors=_errors(answer.problem)),
                       status=answer.status)


def _errors(problem: Any) -> dict[str, str]:
    if problem is None:
        return {}
    errors = {form_field(k): vietnamese(problem.status, m) for k, m in problem.fields.items()}
    return errors or {"_": vietnamese(problem.status, problem.detail)}
