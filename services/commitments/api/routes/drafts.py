"""Program drafts (Văn phòng only): a notice uploaded → a draft kept server-side → corrected, items
dropped or merged → accepted (each kept item registered with `RegisterTask`, like `POST /tasks`) or
discarded. Changes take `If-Match: "<draft version>"`; a stale one gets 409."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from commitments.api.deps import ContainerDep, PrincipalDep, get_expected_version
from commitments.api.problems import BadRequest, problem
from commitments.api.routes import draft_io as io
from commitments.application.permissions import Forbidden
from commitments.domain.errors import DomainError
from commitments.drafts.model import DraftNotFound, DraftRefused, DraftStale, ProgramDraft
from commitments.drafts.service import MAX_NOTICE_BYTES, DraftService
from shared.auth.actions import may_act
from shared.auth.tokens import Principal

PREFIX = "/api/v1/program-drafts"
router = APIRouter(prefix=PREFIX, tags=["program drafts"])
ItemId = Annotated[int, Path(ge=1, le=100_000)]
FORM_SLACK = 64 * 1024  # the program year and the multipart framing beside the file
IF_MATCH = {"parameters": [{"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
                            "description": "The draft's version you last saw (\"3\"); a stale one gets 409."}]}
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "program_year"],
    "properties": {"file": {"type": "string", "format": "binary"}, "program_year": {"type": "integer"}}}}}}}


def _office(principal: Principal) -> None:
    if not may_act(principal, "import_program"):
        raise Forbidden("program drafts are the Office's (role office)")


def _answer(draft: ProgramDraft, status: int = 200, *, full: bool = True) -> JSONResponse:
    return JSONResponse(io.draft_json(draft, full=full), status_code=status,
                        headers={"ETag": f'"{draft.version}"', "Location": f"{PREFIX}/{draft.draft_id}"})


async def _upload(request: Request) -> tuple[str, bytes, int]:
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise BadRequest("send the upload with a Content-Length", "Content-Length", status=411)
    if int(length) > MAX_NOTICE_BYTES + FORM_SLACK:
        raise DraftRefused(f"the notice must be at most {MAX_NOTICE_BYTES} bytes", "file", status=413)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "multipart/form-data":
        raise BadRequest("send the notice as multipart/form-data (file, program_year)", "Content-Type", status=415)
    form = await request.form(max_files=1, max_fields=4)
    file, year = form.get("file"), str(form.get("program_year") or "").strip()
    if not isinstance(file, UploadFile) or not file.filename:
        raise DraftRefused("attach the notice as the field 'file'", "file")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise DraftRefused("program_year must be a year from 2000 to 2100", "program_year")
    return file.filename, await file.read(), int(year)


@router.post("", status_code=201, summary="Import a notice (.txt, .docx, .pdf) into a draft program",
             openapi_extra=UPLOAD_BODY)
async def create(request: Request, container: ContainerDep, principal: PrincipalDep) -> JSONResponse:
    _office(principal)
    name, data, year = await _upload(request)
    draft = await run_in_threadpool(container.drafts.create, name, data, year, principal.user_id)
    return _answer(draft, 201)


@router.get("", summary="The drafts kept (open, being accepted, accepted)")
async def listing(container: ContainerDep, principal: PrincipalDep) -> dict[str, Any]:
    _office(principal)
    drafts = await run_in_threadpool(container.drafts.every)
    return {"drafts": [io.draft_json(d, full=False) for d in drafts]}


@router.get("/{draft_id}", summary="A draft: its items and the source text they were read from")
async def read(draft_id: UUID, container: ContainerDep, principal: PrincipalDep) -> JSONResponse:
    _office(principal)
    return _answer(await run_in_threadpool(container.drafts.get, draft_id))


@router.patch("/{draft_id}/items/{item_id}", summary="Correct an item's fields", openapi_extra=IF_MATCH)
async def correct(draft_id: UUID, item_id: ItemId, body: io.ItemEdit, request: Request, container: ContainerDep,
                  principal: PrincipalDep) -> JSONResponse:
    _office(principal)
    changes = body.model_dump(exclude_unset=True)
    expected = await get_expected_version(request.headers.get("if-match"))
    return _answer(await run_in_threadpool(container.drafts.change_item, draft_id, item_id, changes, expected))


@router.delete("/{draft_id}/items/{item_id}", summary="Drop an item (PATCH dropped=false takes it back)",
               openapi_extra=IF_MATCH)
async def drop(draft_id: UUID, item_id: ItemId, request: Request, container: ContainerDep,
               principal: PrincipalDep) -> JSONResponse:
    _office(principal)
    expected = await get_expected_version(request.headers.get("if-match"))
    service: DraftService = container.drafts
    return _answer(await run_in_threadpool(service.change_item, draft_id, item_id, {"dropped": True}, expected))


@router.post("/{draft_id}/merges", summary="Merge one item into another", openapi_extra=IF_MATCH)
async def merge(draft_id: UUID, body: io.MergeIn, request: Request, container: ContainerDep,
                principal: PrincipalDep) -> JSONResponse:
    _office(principal)
    expected = await get_expected_version(request.headers.get("if-match"))
    return _answer(await run_in_threadpool(container.drafts.merge, draft_id, body.into, body.item, expected))


@router.delete("/{draft_id}", summary="Discard a draft (nothing is registered)")
async def discard(draft_id: UUID, container: ContainerDep, principal: PrincipalDep) -> JSONResponse:
    _office(principal)
    await run_in_threadpool(container.drafts.discard, draft_id)
    return JSONResponse({"draft_id": str(draft_id), "discarded": True})


@router.post("/{draft_id}/acceptance", summary="Register every kept item (idempotent: again registers nothing)",
             openapi_extra=IF_MATCH)
async def accept(draft_id: UUID, request: Request, container: ContainerDep, principal: PrincipalDep
                 ) -> JSONResponse:
    _office(principal)
    expected = await get_expected_version(request.headers.get("if-match"))
    service: DraftService = container.drafts
    draft = await run_in_threadpool(service.get, draft_id)
    made, errors = io.commands(draft, container.settings.org)
    if errors:
        raise DraftRefused("; ".join(e["message"] for e in errors), errors[0]["field"], errors=errors)
    draft = await run_in_threadpool(service.freeze, draft_id, expected)
    subs = io.submissions(draft, made, principal)
    outcomes = await asyncio.gather(*(container.batcher.submit(sub) for sub in subs), return_exceptions=True)
    failed = [(item, o) for (item, _, _), o in zip(made, outcomes, strict=True) if isinstance(o, BaseException)]
    for item, error in failed:
        if isinstance(error, DomainError):  # e.g. its ref registered by hand meanwhile: name the item
            raise DraftRefused(f"item {item.item_id}: {error.message}", f"items[{item.item_id}].{error.field}",
                               status=409)
        raise error  # the writer was busy or the store away: nothing lost, accepting again finishes
    results = [{"item_id": item.item_id, **o.body, "replayed": o.replayed}  # type: ignore[union-attr]
               for (item, _, _), o in zip(made, outcomes, strict=True)]
    draft = await run_in_threadpool(service.accepted, draft, [{k: v for k, v in r.items() if k != "replayed"}
                                                              for r in results])
    body = io.draft_json(draft, full=False) | {"tasks": results,
                                               "registered": sum(1 for r in results if not r["replayed"])}
    return JSONResponse(body, headers={"ETag": f'"{draft.version}"'})


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.add_exception_handler(DraftRefused, _refused)
    app.add_exception_handler(DraftNotFound, lambda _, e: problem(404, "Draft not found", str(e), field="draft_id"))
    app.add_exception_handler(DraftStale, lambda _, e: problem(
        409, "Draft changed meanwhile", str(e), field="If-Match", current_version=e.current,
        headers={"ETag": f'"{e.current}"'}))


def _refused(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DraftRefused)
    return problem(error.status, "Draft change refused", error.message, errors=error.errors)
