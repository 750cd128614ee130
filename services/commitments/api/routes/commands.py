"""Write routes: each parses its body into a command and hands it to the batcher."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from commitments.api import evidence_refs
from commitments.api import schemas as s
from commitments.api import translate as t
from commitments.api.deps import COMMAND_HEADERS, CommandContext, CommandDep
from commitments.application import commands as c
from commitments.application.outcomes import Outcome, OutcomeKind, Submission
from commitments.domain.evidence import EvidenceFile
from shared.telemetry import traceparent
from shared.vn import local_date

Route = TypeVar("Route", bound=Callable[..., Awaitable[Any]])
router = APIRouter(prefix="/api/v1/tasks", tags=["commands"])
HTTP_STATUS = {OutcomeKind.CREATED: 201, OutcomeKind.OK: 200}  # a replay answers with its first answer's kind


def command_route(path: str, summary: str, status_code: int = 200) -> Callable[[Route], Route]:
    return router.post(path, status_code=status_code, response_model=s.Accepted, openapi_extra=COMMAND_HEADERS,
                       summary=summary)


async def submit_command(ctx: CommandContext, command: c.Command, body: BaseModel) -> JSONResponse:
    # The request's trace context goes with the command, so the publisher's span joins this trace.
    submission = Submission.of(command, ctx.principal, idempotency_key=ctx.idempotency_key,
                               traceparent=traceparent(),
                               request={"path": ctx.path, "body": body.model_dump(mode="json")})
    outcome = await ctx.container.batcher.submit(submission)
    headers = {"ETag": f'"{outcome.body["version"]}"', "Location": f"/api/v1/tasks/{outcome.body['task_id']}"}
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return answer(outcome, headers)


def answer(outcome: Outcome, headers: dict[str, str]) -> JSONResponse:
    return JSONResponse(outcome.body, status_code=HTTP_STATUS[outcome.kind], headers=headers)


async def cited_files(ctx: CommandContext, refs: list[s.EvidenceFileRef]) -> tuple[EvidenceFile, ...]:
    if not refs:
        return ()
    return await run_in_threadpool(evidence_refs.resolve, refs, ctx.container.evidence.describe)


@command_route("", "Register a task of the program (Văn phòng)", status_code=201)
async def register(body: s.TaskCreate, ctx: CommandDep) -> JSONResponse:
    command = t.register(body, ctx.container.settings.org)
    return await submit_command(ctx, command, body)


@command_route("/{task_id}/revisions", "Revise the target and/or deadline (Ban Giám đốc)")
async def revise(task_id: UUID, body: s.RevisionCreate, ctx: CommandDep) -> JSONResponse:
    return await submit_command(ctx, t.revise(task_id, ctx.expected_version, body), body)


@command_route("/{task_id}/progress-reports", "Report progress with evidence (the unit)")
async def report(task_id: UUID, body: s.ProgressReportCreate, ctx: CommandDep) -> JSONResponse:
    files = await cited_files(ctx, body.evidence_files)
    return await submit_command(ctx, t.report(task_id, ctx.expected_version, body, files), body)


@command_route("/{task_id}/completion-request", "Ask the Board to confirm completion (the unit)")
async def request_completion(task_id: UUID, body: s.CompletionRequestCreate, ctx: CommandDep) -> JSONResponse:
    files = await cited_files(ctx, body.evidence_files)
    command = t.request_completion(task_id, ctx.expected_version, body, local_date(ctx.container.clock()), files)
    return await submit_command(ctx, command, body)


@command_route("/{task_id}/completion-confirmation", "Confirm completion (Ban Giám đốc)")
async def confirm(task_id: UUID, body: s.NoteIn, ctx: CommandDep) -> JSONResponse:
    command = c.ConfirmCompletion(task_id=task_id, expected_version=ctx.expected_version, note=body.note)
    return await submit_command(ctx, command, body)


@command_route("/{task_id}/completion-rejection", "Reject a completion request (Ban Giám đốc)")
async def reject(task_id: UUID, body: s.ReasonIn, ctx: CommandDep) -> JSONResponse:
    command = c.RejectCompletion(task_id=task_id, expected_version=ctx.expected_version, reason=body.reason)
    return await submit_command(ctx, command, body)


@command_route("/{task_id}/cancellation", "Cancel the task (Ban Giám đốc)")
async def cancel(task_id: UUID, body: s.ApprovedReasonIn, ctx: CommandDep) -> JSONResponse:
    command = c.CancelTask(task_id=task_id, expected_version=ctx.expected_version, reason=body.reason,
                           approval=t.approval_of(body.approval))
    return await submit_command(ctx, command, body)


@command_route("/{task_id}/suspension", "Suspend the task — tạm hoãn (Ban Giám đốc)")
async def suspend(task_id: UUID, body: s.ApprovedReasonIn, ctx: CommandDep) -> JSONResponse:
    command = c.SuspendTask(task_id=task_id, expected_version=ctx.expected_version, reason=body.reason,
                            approval=t.approval_of(body.approval))
    return await submit_command(ctx, command, body)


@command_route("/{task_id}/resumption", "Resume a suspended task (Ban Giám đốc)")
async def resume(task_id: UUID, body: s.NoteIn, ctx: CommandDep) -> JSONResponse:
    command = c.ResumeTask(task_id=task_id, expected_version=ctx.expected_version, note=body.note)
    return await submit_command(ctx, command, body)


@command_route("/{task_id}/reassignment", "Move the task to another unit after a merger or renaming")
async def reassign(task_id: UUID, body: s.ReassignmentCreate, ctx: CommandDep) -> JSONResponse:
    command = c.ReassignTask(task_id=task_id, expected_version=ctx.expected_version, to_unit=body.to_unit,
                             reason=body.reason,
                             approval=t.approval_of(body.approval) if body.approval else None)
    return await submit_command(ctx, command, body)
