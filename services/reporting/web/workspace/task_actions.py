"""POST /workspace/tasks/{task_id}/{action}: a task form submitted. Checked here (CSRF token, the
role's right on this task), its files carried to the evidence store, then the command sent to the
commitments API with the user's token, the form's Idempotency-Key and the version it showed. Then
303 to the task page awaiting that version (PRG), or the form again with its errors next to the
fields, or — if the task changed meanwhile — the conflict page."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from reporting.application.queries import task_detail
from reporting.web.context import ContextDep, PageContext
from reporting.web.errors import PageError, page_errors
from reporting.web.rendering import render
from reporting.web.workspace.client import Answer
from reporting.web.workspace.fields import form_field, vietnamese
from reporting.web.workspace.forms import csrf_valid, new_form
from reporting.web.workspace.offer import action_url, commitments_for
from reporting.web.workspace.specs import SPECS, Spec
from reporting.web.workspace.uploads import Posted, read_form, upload_all
from shared.auth.actions import may_act
from shared.vn import local_date

router = APIRouter(include_in_schema=False)
REFUSED = "Vai trò của bạn không được thực hiện thao tác này trên nhiệm vụ này; không có gì được ghi nhận."


def check_csrf(request: Request, posted: Posted) -> None:
    if not csrf_valid(request, posted.values.get("csrf_token")):
        raise PageError(403, "Biểu mẫu thiếu hoặc sai mã chống giả mạo (CSRF): hãy mở lại trang và gửi lại. "
                             "Không có gì được ghi nhận.", "csrf_token")


def form_version(posted: Posted) -> int | None:
    text = posted.values.get("version", "")
    return int(text) if text.isdigit() else None


@router.post("/workspace/tasks/{task_id}/{action}")
async def task_action(task_id: UUID, action: str, request: Request, ctx: ContextDep) -> Response:
    spec = SPECS.get(action)
    if spec is None:
        raise PageError(404, f"Không có thao tác “{action}”.", "action")
    settings = request.app.state.container.settings
    posted = await read_form(request, settings.evidence_max_bytes)
    check_csrf(request, posted)
    with page_errors():
        detail = await task_detail(ctx.reads, ctx.org, task_id, now=ctx.now)
    if not may_act(ctx.viewer.principal, action, detail.task.unit, None):
        raise PageError(403, REFUSED, "role")
    client = commitments_for(request)
    cited, refusal = await upload_all(client, posted, settings.evidence_max_bytes) if spec.files else ([], None)
    if refusal is not None:
        return await _again(request, ctx, spec, task_id, posted, {"files": refusal}, 422)
    body = spec.body(posted.values)
    if spec.files and cited:
        body["evidence_files"] = cited
    path = spec.path.format(task_id=task_id, proposal_id=posted.values.get("proposal_id", ""))
    key = posted.values.get("idempotency_key") or ""
    answer = await client.command(path, body, key=key, version=form_version(posted))
    if answer.ok:
        return RedirectResponse(f"/tasks/{task_id}?v={answer.body['version']}#ket-qua", status_code=303)
    return await _answered(request, ctx, spec, task_id, posted, answer)


async def _answered(request: Request, ctx: PageContext, spec: Spec, task_id: UUID, posted: Posted,
                    answer: Answer) -> Response:
    problem = answer.problem
    assert problem is not None
    if problem.status == 409 and ("If-Match" in problem.fields or problem.current_version is not None):
        return await _conflict(request, ctx, spec, task_id, posted, problem.current_version)
    if problem.status in (401, 403, 404):
        raise PageError(problem.status, vietnamese(problem.status, problem.detail), next(iter(problem.fields), None))
    errors = {form_field(k): vietnamese(problem.status, m) for k, m in problem.fields.items()}
    errors = errors or {"_": vietnamese(problem.status, problem.detail)}
    return await _again(request, ctx, spec, task_id, posted, errors, problem.status)


async def _again(request: Request, ctx: PageContext, spec: Spec, task_id: UUID, posted: Posted,
                 errors: dict[str, str], status: int) -> Response:
    """The task page with this form again: the user's input kept, the errors beside their fields, a
    fresh Idempotency-Key (the corrected form is another request)."""
    from reporting.web.pages.tasks import load_task, task_response  # the page module imports this package

    page = await load_task(str(task_id), ctx)
    form = new_form(request, spec, action_url(str(task_id), spec.action), version=form_version(posted),
                    values=posted.values, errors=errors, uploaded=posted.uploaded, today=local_date(ctx.now),
                    year=page.detail.task.program_year)
    return await task_response(request, ctx, page, override=form, status=status)


async def _conflict(request: Request, ctx: PageContext, spec: Spec, task_id: UUID, posted: Posted,
                    current: int | None) -> Response:
    """What changed since the form was shown, and the same input ready to apply to the new version."""
    with page_errors():
        detail = await task_detail(ctx.reads, ctx.org, task_id, now=ctx.now)
    shown = form_version(posted) or 0
    changes = [h for h in detail.history if h.version > shown]
    version = current if current is not None else detail.task.version
    form = new_form(request, spec, action_url(str(task_id), spec.action), version=version, values=posted.values,
                    uploaded=posted.uploaded, today=local_date(ctx.now), year=detail.task.program_year)
    return render(request, "conflict.html", ctx.viewer, status=409, task=detail.task, changes=changes,
                  shown=shown, current=version, form=form)
