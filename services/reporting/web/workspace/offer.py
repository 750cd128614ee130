"""Which forms a task's page offers the viewer: exactly the actions `shared.auth.actions` (the table
the API enforces) allows this role, on this unit's task, in its lifecycle state. A proposal's
approval needs the open proposal, which only the commitments service knows until it is decided."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from reporting.api.deps import get_now
from reporting.application.views import TaskView
from reporting.web.access import Viewer
from reporting.web.session import session_token
from reporting.web.workspace.client import Commitments
from reporting.web.workspace.forms import FormState, new_form
from reporting.web.workspace.specs import SPECS
from shared.auth.actions import may_act
from shared.vn import local_date

PROPOSAL_ACTIONS = ("approve_revision", "decline_revision")


def commitments_for(request: Request) -> Commitments:
    settings = request.app.state.container.settings
    transport = getattr(request.app.state, "commitments_transport", None)  # tests: an in-process app
    return Commitments(settings.commitments_url, session_token(request) or "", transport)


async def write_side(request: Request, task_id: str) -> dict[str, Any]:
    """The task as the commitments service has it now (its open proposal, say); {} if unreachable."""
    try:
        answer = await commitments_for(request).get(f"/api/v1/tasks/{task_id}")
    except Exception:  # the page still shows the read model; the forms needing it are left out
        return {}
    return answer.body if answer.ok else {}


def action_url(task_id: str, action: str) -> str:
    return f"/workspace/tasks/{task_id}/{action}"


async def task_forms(request: Request, viewer: Viewer, task: TaskView, override: FormState | None = None
                     ) -> list[FormState]:
    allowed = [a for a in SPECS if may_act(viewer.principal, a, task.unit, task.lifecycle)]
    if not allowed:
        return []
    proposal = None
    if any(a in PROPOSAL_ACTIONS or a == "propose_revision" for a in allowed):
        proposal = (await write_side(request, str(task.task_id))).get("open_proposal")
    today = local_date(get_now(request))
    forms = []
    for action in allowed:
        if action in PROPOSAL_ACTIONS and not proposal:
            continue
        if action == "propose_revision" and proposal:
            continue
        if override is not None and override.spec.action == action:
            forms.append(override)
            continue
        values = {"proposal_id": str(proposal["proposal_id"])} if action in PROPOSAL_ACTIONS and proposal else {}
        forms.append(new_form(request, SPECS[action], action_url(str(task.task_id), action), version=task.version,
                              values=values, today=today, year=task.program_year))
    return forms
