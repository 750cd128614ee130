"""Write routes: each parses its body into a command and hands it to the batcher."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from opentelemetry.propagate import inject

from commitments.api import schemas as s
from commitments.api import translate as t
from commitments.api.deps import ContainerDep, KeyDep, PrincipalDep, VersionDep
from commitments.application import commands as c
from commitments.application.outcomes import Submission
from commitments.bootstrap import Container
from shared.auth.tokens import Principal
from shared.vn import local_date

router = APIRouter(prefix="/api/v1/tasks", tags=["commands"])
Created = {201: {"model": s.Accepted}}


async def _submit(container: Container, command: c.Command, principal: Principal, key: str | None,
                  request: Request, body: Any, response: Response) -> s.Accepted:
    carrier: dict[str, str] = {}
    inject(carrier)  # the request's trace context, so the publisher's span joins this trace
    submission = Submission.of(command, principal, idempotency_key=key, traceparent=carrier.get("traceparent"),
                               request={"path": request.url.path, "body": body.model_dump(mode="json")})
    outcome = await container.batcher.submit(submission)
    response.status_code = outcome.status_code
    response.headers["ETag"] = f'"{outcome.body["version"]}"'
    response.headers["Location"] = f"/api/v1/tasks/{outcome.body['task_id']}"
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return s.Accepted(**outcome.body)


@router.post("", status_code=201, responses=Created, summary="Register a task of the program (Văn phòng)")
async def register(body: s.TaskCreate, request: Request, response: Response, container: ContainerDep,
                   principal: PrincipalDep, key: KeyDep) -> s.Accepted:
    command = t.register(body, container.settings.org)
    return await _submit(container, command, principal, key, request, body, response)


@router.post("/{task_id}/revisions", summary="Revise the target and/or deadline (Ban Giám đốc)")
async def revise(task_id: UUID, body: s.RevisionCreate, request: Request, response: Response,
                 container: ContainerDep, principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    return await _submit(container, t.revise(task_id, version, body), principal, key, request, body, response)


@router.post("/{task_id}/progress-reports", summary="Report progress with evidence (the unit)")
async def report(task_id: UUID, body: s.ProgressReportCreate, request: Request, response: Response,
                 container: ContainerDep, principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    return await _submit(container, t.report(task_id, version, body), principal, key, request, body, response)


@router.post("/{task_id}/completion-request", summary="Ask the Board to confirm completion (the unit)")
async def request_completion(task_id: UUID, body: s.CompletionRequestCreate, request: Request,
                             response: Response, container: ContainerDep, principal: PrincipalDep,
                             version: VersionDep, key: KeyDep) -> s.Accepted:
    command = t.request_completion(task_id, version, body, local_date(container.clock()))
    return await _submit(container, command, principal, key, request, body, response)


@router.post("/{task_id}/completion-confirmation", summary="Confirm completion (Ban Giám đốc)")
async def confirm(task_id: UUID, body: s.NoteIn, request: Request, response: Response, container: ContainerDep,
                  principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    command = c.ConfirmCompletion(task_id=task_id, expected_version=version, note=body.note)
    return await _submit(container, command, principal, key, request, body, response)


@router.post("/{task_id}/completion-rejection", summary="Reject a completion request (Ban Giám đốc)")
async def reject(task_id: UUID, body: s.ReasonIn, request: Request, response: Response, container: ContainerDep,
                 principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    command = c.RejectCompletion(task_id=task_id, expected_version=version, reason=body.reason)
    return await _submit(container, command, principal, key, request, body, response)


@router.post("/{task_id}/cancellation", summary="Cancel the task (Ban Giám đốc)")
async def cancel(task_id: UUID, body: s.ApprovedReasonIn, request: Request, response: Response,
                 container: ContainerDep, principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    command = c.CancelTask(task_id=task_id, expected_version=version, reason=body.reason,
                           approval=t.approval_of(body.approval))
    return await _submit(container, command, principal, key, request, body, response)


@router.post("/{task_id}/suspension", summary="Suspend the task — tạm hoãn (Ban Giám đốc)")
async def suspend(task_id: UUID, body: s.ApprovedReasonIn, request: Request, response: Response,
                  container: ContainerDep, principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    command = c.SuspendTask(task_id=task_id, expected_version=version, reason=body.reason,
                            approval=t.approval_of(body.approval))
    return await _submit(container, command, principal, key, request, body, response)


@router.post("/{task_id}/resumption", summary="Resume a suspended task (Ban Giám đốc)")
async def resume(task_id: UUID, body: s.NoteIn, request: Request, response: Response, container: ContainerDep,
                 principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    command = c.ResumeTask(task_id=task_id, expected_version=version, note=body.note)
    return await _submit(container, command, principal, key, request, body, response)


@router.post("/{task_id}/reassignment", summary="Move the task to another unit after a merger or renaming")
async def reassign(task_id: UUID, body: s.ReassignmentCreate, request: Request, response: Response,
                   container: ContainerDep, principal: PrincipalDep, version: VersionDep, key: KeyDep) -> s.Accepted:
    command = c.ReassignTask(task_id=task_id, expected_version=version, to_unit=body.to_unit, reason=body.reason,
                             approval=t.approval_of(body.approval) if body.approval else None)
    return await _submit(container, command, principal, key, request, body, response)
