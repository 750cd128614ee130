"""The Văn phòng's review of an imported notice (/workspace/program-import): upload a notice; the draft
beside its source text, each item's words highlighted; correct, drop, merge; accept ("Chấp nhận và
đăng ký") or discard. Plain forms (CSRF, PRG), so it works without JavaScript; review.js only moves the
highlight. Every change goes to the commitments drafts API with the reviewer's own token."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reporting.application.queries import program_years
from reporting.web.context import ContextDep, PageContext
from reporting.web.errors import PageError
from reporting.web.rendering import render
from reporting.web.session import session_id
from reporting.web.workspace.client import Answer
from reporting.web.workspace.fields import vietnamese
from reporting.web.workspace.forms import csrf_tokens
from reporting.web.workspace.offer import commitments_for
from reporting.web.workspace.review_view import (
    KIND_OPTIONS,
    ItemView,
    edit_body,
    form_field,
    item_errors,
    segments,
    values_of,
)
from reporting.web.workspace.task_actions import REFUSED, check_csrf, form_version
from reporting.web.workspace.uploads import read_form
from shared.auth.actions import may_act
from shared.vn import format_datetime, local_date

router = APIRouter(include_in_schema=False)
HOME = "/workspace/program-import"
API = "/api/v1/program-drafts"
NOTICE_MAX_BYTES = 10 * 1024 * 1024  # the drafts API's bound; refused here before the file is read into memory
STATUS = {"open": "Đang duyệt", "accepting": "Đang đăng ký (chưa xong: bấm lại “Chấp nhận và đăng ký”)",
          "accepted": "Đã đăng ký"}


def _allowed(ctx: PageContext) -> None:
    if not may_act(ctx.viewer.principal, "import_program"):
        raise PageError(403, "Trang này dành cho Văn phòng Sở. " + REFUSED, "role")


def _failed(answer: Answer) -> None:
    """A refusal the page cannot show beside a field: the error page."""
    problem = answer.problem
    if problem is not None and problem.status in (401, 403, 404):
        raise PageError(problem.status, vietnamese(problem.status, problem.detail), next(iter(problem.fields), None))


@router.get(HOME, response_class=HTMLResponse)
async def drafts(request: Request, ctx: ContextDep) -> HTMLResponse:
    _allowed(ctx)
    answer = await commitments_for(request).get(API)
    _failed(answer)
    return await _home(request, ctx, answer.body.get("drafts", []))


async def _home(request: Request, ctx: PageContext, found: list[dict[str, Any]], *, error: str | None = None,
                year: str = "", status: int = 200) -> HTMLResponse:
    years = await program_years(ctx.reads, ctx.org)
    year = year or str(max(years) + 1 if years else local_date(ctx.now).year)
    found = [d | {"created_label": format_datetime(datetime.fromisoformat(d["created_at"]))} for d in found]
    return render(request, "review_list.html", ctx.viewer, status=status, drafts=found, statuses=STATUS,
                  csrf=csrf_tokens(request).issue(session_id(request)), error=error, year=year)


@router.post(HOME)
async def upload(request: Request, ctx: ContextDep) -> Response:
    posted = await read_form(request, request.app.state.container.settings.evidence_max_bytes)
    check_csrf(request, posted)
    _allowed(ctx)
    year = posted.values.get("program_year", "").strip()
    if not posted.files:
        return await _home(request, ctx, [], error="Hãy chọn tệp thông báo (.txt, .docx hoặc .pdf).", year=year,
                           status=422)
    notice = posted.files[0]
    if notice.size is not None and notice.size > NOTICE_MAX_BYTES:
        return await _home(request, ctx, [], error="Tệp thông báo quá lớn: tối đa 10 MB.", year=year, status=413)
    answer = await commitments_for(request).upload_notice(notice.filename or "thong-bao.txt", await notice.read(),
                                                          year)
    if answer.ok:
        return RedirectResponse(f"{HOME}/{answer.body['draft_id']}", status_code=303)
    _failed(answer)
    assert answer.problem is not None
    return await _home(request, ctx, [], error=vietnamese(answer.status, answer.problem.detail), year=year,
                       status=answer.status)


@router.get(HOME + "/{draft_id}", response_class=HTMLResponse)
async def review(draft_id: UUID, request: Request, ctx: ContextDep) -> HTMLResponse:
    _allowed(ctx)
    return await _review(request, ctx, draft_id)


async def _review(request: Request, ctx: PageContext, draft_id: UUID, *, status: int = 200,
                  typed: dict[int, dict[str, str]] | None = None, errors: dict[int, dict[str, str]] | None = None,
                  message: str | None = None, done: dict[str, Any] | None = None) -> HTMLResponse:
    answer = await commitments_for(request).get(f"{API}/{draft_id}")
    _failed(answer)
    draft = answer.body
    typed, errors = typed or {}, errors or {}
    views = [ItemView(item, typed.get(item["item_id"]) or values_of(item), errors.get(item["item_id"], {}))
             for item in draft["items"]]
    return render(request, "review.html", ctx.viewer, status=status, draft=draft, items=views,
                  segments=segments(draft["source_text"], [i for i in draft["items"] if not i["dropped"]]),
                  kinds=KIND_OPTIONS, statuses=STATUS, message=message, done=done,
                  csrf=csrf_tokens(request).issue(session_id(request)))


@router.post(HOME + "/{draft_id}/items/{item_id}")
async def change_item(draft_id: UUID, item_id: int, request: Request, ctx: ContextDep) -> Response:
    posted = await read_form(request, 0)
    check_csrf(request, posted)
    _allowed(ctx)
    intent, client = posted.values.get("intent", "save"), commitments_for(request)
    path = f"{API}/{draft_id}/items/{item_id}"
    if intent == "drop":
        answer = await client.send("DELETE", path, version=form_version(posted))
    else:
        body = {"dropped": False} if intent == "restore" else edit_body(posted.values)
        answer = await client.send("PATCH", path, body, version=form_version(posted))
    if answer.ok:
        return RedirectResponse(f"{HOME}/{draft_id}#muc-{item_id}", status_code=303)
    return await _refused(request, ctx, draft_id, answer, item_id, posted.values)


@router.post(HOME + "/{draft_id}/merge")
async def merge(draft_id: UUID, request: Request, ctx: ContextDep) -> Response:
    posted = await read_form(request, 0)
    check_csrf(request, posted)
    _allowed(ctx)
    into, other = posted.values.get("into", ""), posted.values.get("item", "")
    if not (into.isdigit() and other.isdigit()):
        return await _review(request, ctx, draft_id, status=422, message="Hãy chọn hai mục để gộp.")
    answer = await commitments_for(request).send("POST", f"{API}/{draft_id}/merges",
                                                 {"into": int(into), "item": int(other)},
                                                 version=form_version(posted))
    if answer.ok:
        return RedirectResponse(f"{HOME}/{draft_id}#muc-{into}", status_code=303)
    return await _refused(request, ctx, draft_id, answer, None, posted.values)


@router.post(HOME + "/{draft_id}/accept")
async def accept(draft_id: UUID, request: Request, ctx: ContextDep) -> Response:
    posted = await read_form(request, 0)
    check_csrf(request, posted)
    _allowed(ctx)
    answer = await commitments_for(request).send("POST", f"{API}/{draft_id}/acceptance",
                                                 version=form_version(posted))
    if answer.ok:
        return await _review(request, ctx, draft_id, done=answer.body)
    return await _refused(request, ctx, draft_id, answer, None, posted.values)


@router.post(HOME + "/{draft_id}/discard")
async def discard(draft_id: UUID, request: Request, ctx: ContextDep) -> Response:
    posted = await read_form(request, 0)
    check_csrf(request, posted)
    _allowed(ctx)
    answer = await commitments_for(request).send("DELETE", f"{API}/{draft_id}")
    if answer.ok:
        return RedirectResponse(HOME, status_code=303)
    return await _refused(request, ctx, draft_id, answer, None, posted.values)


async def _refused(request: Request, ctx: PageContext, draft_id: UUID, answer: Answer, item_id: int | None,
                   values: dict[str, str]) -> HTMLResponse:
    """The page again: the errors beside the item's fields (the reviewer's input kept), or above."""
    _failed(answer)
    problem = answer.problem
    assert problem is not None
    if problem.status == 409 and "If-Match" in problem.fields:
        message = ("Bản nháp vừa được người khác sửa: trang đã tải lại bản mới nhất; nội dung bạn nhập vẫn giữ "
                   "ở mục đang sửa, hãy kiểm tra rồi lưu lại.")
    else:
        message = vietnamese(problem.status, problem.detail)
    per_item = item_errors(problem.fields)
    if item_id is not None:
        per_item.setdefault(item_id, {}).update({form_field(k): vietnamese(problem.status, m)
                                                 for k, m in problem.fields.items() if not k.startswith("items[")})
    typed = {item_id: values} if item_id is not None and values.get("intent", "save") == "save" else {}
    return await _review(request, ctx, draft_id, status=problem.status, typed=typed, errors=per_item,
                         message=message)
