"""The parse preview of the Office's register form: the target and deadline as the system reads
them, before anything is saved. The same parsers as registration; nothing is written."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from commitments.api import schemas as s
from commitments.api import translate as t
from commitments.api.deps import PrincipalDep
from commitments.application.permissions import Forbidden
from shared.auth.actions import ACTIONS
from shared.rules.wording import deadline_label, target_label

router = APIRouter(prefix="/api/v1/tasks", tags=["queries"])


@router.post("/preview", summary="How a target and deadline as written are read (Văn phòng; records nothing)")
async def preview(body: s.PreviewIn, principal: PrincipalDep) -> dict[str, Any]:
    allowed = ACTIONS["preview"].roles  # the one table of who may act, which the forms read too
    if not any(role in principal.roles for role in allowed):
        raise Forbidden(f"the preview is part of registering a task: it needs the role {', '.join(allowed)}")
    target = t.target_of(body.target, body.milestone, "target")
    deadline = t.deadline_of(body.deadline, year=body.program_year)
    due_at = deadline.effective_end(body.program_year)
    single = target.minimum if target.kind.value in ("at_least", "exactly", "percentage") else None
    return {
        "target": {"kind": target.kind.value, "value": single, "minimum": target.minimum, "maximum": target.maximum,
                   "measure": target.measure, "per": target.per, "text": target.text,
                   "label": target_label(target.kind.value, target.minimum, target.maximum, target.measure,
                                         target.per, target.text)},
        "deadline": {"kind": deadline.kind.value, "text": deadline.text,
                     "ends_at": deadline.ends_at.isoformat() if deadline.ends_at else None,
                     "due_at": due_at.isoformat(), "label": deadline_label(deadline.kind.value, due_at)},
    }
