"""Write routes of the workspace: revision proposals (a unit head proposes, the Board decides) and
the unit merger (Văn phòng moves every open task of a unit at once)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from commitments.api import schemas as s
from commitments.api import translate as t
from commitments.api.deps import COMMAND_HEADERS, CommandDep
from commitments.api.routes.commands import answer, cited_files, command_route, submit_command
from commitments.application import commands as c
from commitments.application.outcomes import Submission
from commitments.application.unit_merger import merger_id
from commitments.domain.errors import require
from shared.instants import civil_day

units = APIRouter(prefix="/api/v1/units", tags=["commands"])
PROPOSAL = "/{task_id}/revision-proposals"


@command_route(PROPOSAL, "Propose a revision of the target and/or deadline (trưởng đơn vị)")
async def propose(task_id: UUID, body: s.RevisionProposalCreate, ctx: CommandDep) -> JSONResponse:
    files = await cited_files(ctx, body.evidence_files)
    return await submit_command(ctx, t.propose(task_id, ctx.expected_version, body, files), body)


@command_route(PROPOSAL + "/{proposal_id}/approval", "Approve a proposed revision: records TargetRevised")
async def approve(task_id: UUID, proposal_id: UUID, body: s.ProposalApproval, ctx: CommandDep) -> JSONResponse:
    command = c.ApproveProposal(task_id=task_id, expected_version=ctx.expected_version, proposal_id=proposal_id,
                                approval=t.approval_of(body.approval),
                                effective_on=civil_day(body.effective_on, "effective_on"))
    return await submit_command(ctx, command, body)


@command_route(PROPOSAL + "/{proposal_id}/decline", "Decline a proposed revision, with a reason")
async def decline(task_id: UUID, proposal_id: UUID, body: s.ReasonIn, ctx: CommandDep) -> JSONResponse:
    command = c.DeclineProposal(task_id=task_id, expected_version=ctx.expected_version, proposal_id=proposal_id,
                                reason=body.reason)
    return await submit_command(ctx, command, body)


@units.post("/{unit}/reassignment", openapi_extra=COMMAND_HEADERS,
            summary="Move every open task of a unit to another (units merge): all or nothing (Văn phòng)")
async def reassign_unit(unit: s.Code, body: s.UnitReassignmentCreate, ctx: CommandDep) -> JSONResponse:
    require(body.to_unit != unit, f"the tasks already belong to {unit}", "to_unit")
    org = ctx.container.settings.org
    command = c.ReassignUnit(task_id=merger_id(org, unit), expected_version=None, org=org, unit=unit,
                             to_unit=body.to_unit, reason=body.reason,
                             approval=t.approval_of(body.approval) if body.approval else None,
                             program_year=body.program_year)
    submission = Submission.of(command, ctx.principal, idempotency_key=ctx.idempotency_key,
                               request={"path": ctx.path, "body": body.model_dump(mode="json")})
    outcome = await ctx.container.batcher.submit(submission)
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return answer(outcome, headers)
