"""Who may do what, by action name: the one table both the commitments API (which enforces it) and
the dashboard (which offers a form only where it would be accepted) read.

Văn phòng registers and reassigns; a unit's staff and head report and request completion on their
own unit's tasks; only the head proposes a revision; the Board decides (revise, confirm, reject,
cancel, suspend, resume, approve or decline a proposal); the Inspectorate only reads. The lifecycle
states in which an action makes sense are beside, so a form is not offered on a closed task.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth.tokens import Principal

OWN_UNIT_ROLES = frozenset({"unit_staff", "unit_head"})
OPEN = ("active", "awaiting_confirmation", "suspended")


@dataclass(frozen=True)
class Action:
    roles: tuple[str, ...]
    states: tuple[str, ...] = OPEN  # the task's lifecycle states it applies to; () for no task


ACTIONS: dict[str, Action] = {
    "register": Action(("office",), ()),
    "preview": Action(("office",), ()),
    "reassign": Action(("office",)),
    "reassign_unit": Action(("office",), ()),
    "import_program": Action(("office",), ()),  # program drafts: upload a notice, review, accept
    "report_progress": Action(("unit_staff", "unit_head"), ("active", "awaiting_confirmation")),
    "request_completion": Action(("unit_staff", "unit_head"), ("active",)),
    "propose_revision": Action(("unit_head",), ("active", "awaiting_confirmation", "suspended")),
    "revise": Action(("board",)),
    "confirm_completion": Action(("board",), ("awaiting_confirmation",)),
    "reject_completion": Action(("board",), ("awaiting_confirmation",)),
    "approve_revision": Action(("board",)),
    "decline_revision": Action(("board",)),
    "cancel": Action(("board",), ("active", "awaiting_confirmation", "suspended")),
    "suspend": Action(("board",), ("active",)),
    "resume": Action(("board",), ("suspended",)),
}


def acting_role(principal: Principal, action: str) -> str | None:
    """The principal's role that allows `action`, or None."""
    return next((r for r in ACTIONS[action].roles if r in principal.roles), None)


def may_act(principal: Principal, action: str, task_unit: str | None = None, lifecycle: str | None = None) -> bool:
    """Whether the principal may take `action` (on a task of `task_unit` in state `lifecycle`)."""
    role = acting_role(principal, action)
    if role is None:
        return False
    if role in OWN_UNIT_ROLES and task_unit is not None and task_unit != principal.unit:
        return False
    return lifecycle is None or lifecycle in ACTIONS[action].states
