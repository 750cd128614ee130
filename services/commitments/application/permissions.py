"""Who may do what. The actor recorded on an event is built here from the verified principal.

Văn phòng registers and reassigns; units report and request completion on their own tasks only,
and a unit head proposes revisions of them; the Board revises, approves or declines proposals,
confirms, rejects, cancels, suspends and resumes; the Inspectorate only reads.
"""

from __future__ import annotations

from commitments.application import commands as c
from commitments.domain.actor import Actor, Role
from commitments.domain.task import Task
from shared.auth.actions import ACTIONS, OWN_UNIT_ROLES
from shared.auth.tokens import Principal


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Each command's action in shared.auth.actions, the one table of who may act: the dashboard reads
# it too, to offer a form exactly where this service would accept it.
_ACTION: dict[type[c.Command], str] = {
    c.RegisterTask: "register",
    c.ReassignTask: "reassign",
    c.ReassignUnit: "reassign_unit",
    c.ProposeRevision: "propose_revision",
    c.ApproveProposal: "approve_revision",
    c.DeclineProposal: "decline_revision",
    c.ReportProgress: "report_progress",
    c.RequestCompletion: "request_completion",
    c.ReviseTarget: "revise",
    c.ConfirmCompletion: "confirm_completion",
    c.RejectCompletion: "reject_completion",
    c.CancelTask: "cancel",
    c.SuspendTask: "suspend",
    c.ResumeTask: "resume",
}
_ALLOWED: dict[type[c.Command], tuple[Role, ...]] = {
    command: tuple(Role(r) for r in ACTIONS[action].roles) for command, action in _ACTION.items()}
_OWN_UNIT_ONLY = frozenset(Role(r) for r in OWN_UNIT_ROLES)


def authorize(command: c.Command, principal: Principal, task: Task | None) -> Actor:
    """The actor for this command, or Forbidden (wrong role, or another unit's task)."""
    allowed = _ALLOWED[type(command)]
    role = next((r for r in allowed if r.value in principal.roles), None)
    if role is None:
        names = ", ".join(r.value for r in allowed)
        raise Forbidden(f"{type(command).__name__} needs the role {names}; the token has "
                        f"{', '.join(sorted(principal.roles)) or 'none'}")
    if role in _OWN_UNIT_ONLY and task is not None and task.unit != principal.unit:
        raise Forbidden(f"the task belongs to unit {task.unit}; your unit is {principal.unit}")
    return Actor(user_id=principal.user_id, name=principal.name, unit=principal.unit, role=role,
                 issuer=principal.issuer, subject=principal.subject)


_UPLOADERS = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICE, Role.BOARD})


def may_upload_evidence(principal: Principal) -> bool:
    """Evidence is cited by reports, completion requests and approvals: every role that writes may
    upload it; the Inspectorate only reads."""
    return any(r.value in principal.roles for r in _UPLOADERS)
