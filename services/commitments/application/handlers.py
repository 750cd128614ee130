"""One handler per command: call the aggregate, return it. No I/O: loading and saving are the batcher's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commitments.application import commands as c
from commitments.domain.actor import Actor
from commitments.domain.task import Task


def handle(command: c.Command, task: Task | None, actor: Actor) -> Task:
    """Applies a command; `task` is None only for a registration."""
    if isinstance(command, c.RegisterTask):
        return Task.register(
            task_id=command.task_id, actor=actor, org=command.org, program_year=command.program_year,
            ref=command.ref, unit=command.unit, title=command.title, description=command.description,
            target=command.target, deadline=command.deadline, cooperating_units=command.cooperating_units,
            legal_basis=command.legal_basis)
    assert task is not None
    _HANDLERS[type(command)](task, command, actor)
    return task


def _revise(task: Task, cmd: Any, actor: Actor) -> None:
    task.revise(actor=actor, reason=cmd.reason, approval=cmd.approval, effective_on=cmd.effective_on,
                new_target=cmd.new_target, new_deadline=cmd.new_deadline)


def _report(task: Task, cmd: Any, actor: Actor) -> None:
    task.report_progress(actor=actor, as_of=cmd.as_of, period=cmd.period, achieved_value=cmd.achieved_value,
                         note=cmd.note, evidence=cmd.evidence, evidence_files=cmd.evidence_files)


def _propose(task: Task, cmd: Any, actor: Actor) -> None:
    task.propose_revision(actor=actor, proposal_id=cmd.proposal_id, reason=cmd.reason, new_target=cmd.new_target,
                          new_deadline=cmd.new_deadline, evidence_files=cmd.evidence_files)


_HANDLERS: dict[type[c.Command], Callable[[Task, Any, Actor], None]] = {
    c.ReviseTarget: _revise,
    c.ReportProgress: _report,
    c.RequestCompletion: lambda t, cmd, a: t.request_completion(actor=a, completed_on=cmd.completed_on,
                                                                note=cmd.note, evidence=cmd.evidence,
                                                                evidence_files=cmd.evidence_files),
    c.ProposeRevision: _propose,
    c.ApproveProposal: lambda t, cmd, a: t.approve_proposal(actor=a, proposal_id=cmd.proposal_id,
                                                            approval=cmd.approval, effective_on=cmd.effective_on),
    c.DeclineProposal: lambda t, cmd, a: t.decline_proposal(actor=a, proposal_id=cmd.proposal_id,
                                                            reason=cmd.reason),
    c.ConfirmCompletion: lambda t, cmd, a: t.confirm_completion(actor=a, note=cmd.note),
    c.RejectCompletion: lambda t, cmd, a: t.reject_completion(actor=a, reason=cmd.reason),
    c.CancelTask: lambda t, cmd, a: t.cancel(actor=a, reason=cmd.reason, approval=cmd.approval),
    c.SuspendTask: lambda t, cmd, a: t.suspend(actor=a, reason=cmd.reason, approval=cmd.approval),
    c.ResumeTask: lambda t, cmd, a: t.resume(actor=a, note=cmd.note),
    c.ReassignTask: lambda t, cmd, a: t.reassign(actor=a, to_unit=cmd.to_unit, reason=cmd.reason,
                                                 approval=cmd.approval),
}
