"""Revision proposals through the application (in memory): the rules that refuse them, and what an
approval or a decline leaves on the task."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from commitments.application import commands as c
from commitments.application.service import CommitmentsApp
from commitments.domain.deadlines import parse_deadline
from commitments.domain.errors import InvalidState, InvalidValue
from commitments.domain.targets import parse_target
from tests.unit.commitments.builders import APPROVAL, register, revise
from tests.unit.commitments.conftest import BOARD, HEAD, OFFICE, Run


def propose(task_id: UUID, proposal_id: UUID, target: str | None = "ít nhất 8 doanh nghiệp",
            deadline: str | None = None) -> c.ProposeRevision:
    return c.ProposeRevision(task_id=task_id, expected_version=None, proposal_id=proposal_id, reason="Thiếu vốn",
                             new_target=parse_target(target) if target else None,
                             new_deadline=parse_deadline(deadline) if deadline else None)


def approve(task_id: UUID, proposal_id: UUID) -> c.ApproveProposal:
    return c.ApproveProposal(task_id=task_id, expected_version=None, proposal_id=proposal_id, approval=APPROVAL,
                             effective_on=date(2025, 3, 1))


def test_an_approval_applies_what_was_proposed_and_keeps_the_rest(app: CommitmentsApp, run: Run) -> None:
    task_id, proposal_id = uuid4(), uuid4()
    run(register(task_id), OFFICE)
    run(propose(task_id, proposal_id, target=None, deadline="Quý III/2025"), HEAD)
    assert app.get_task(task_id).open_proposal is not None
    assert run(approve(task_id, proposal_id), BOARD).body["events"] == ["TargetRevised"]
    task = app.get_task(task_id)
    assert task.open_proposal is None and task.deadline.text == "Quý III/2025" and task.target.minimum == 10
    revised = app.history(task_id)[-1]
    assert revised.proposal_id == proposal_id and revised.actor.role == "board"  # type: ignore[attr-defined]
    assert revised.deadline_extended and not revised.target_lowered  # type: ignore[attr-defined]


def test_a_direct_revision_has_no_proposal(app: CommitmentsApp, run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    run(revise(task_id, target="ít nhất 12 doanh nghiệp"), BOARD)
    assert app.history(task_id)[-1].proposal_id is None  # type: ignore[attr-defined]


def test_a_proposal_that_changes_nothing_is_refused(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    with pytest.raises(InvalidValue):
        run(propose(task_id, uuid4(), target="ít nhất 10 doanh nghiệp"), HEAD)


def test_a_closed_task_takes_no_proposal_and_its_open_one_is_not_approved(app: CommitmentsApp, run: Run) -> None:
    task_id, proposal_id = uuid4(), uuid4()
    run(register(task_id), OFFICE)
    run(propose(task_id, proposal_id), HEAD)
    run(c.CancelTask(task_id=task_id, expected_version=None, reason="Không còn phù hợp", approval=APPROVAL), BOARD)
    with pytest.raises(InvalidState):
        run(approve(task_id, proposal_id), BOARD)
    with pytest.raises(InvalidState):
        run(propose(task_id, uuid4()), HEAD)
    assert app.task_view(task_id, app.get_task(task_id).modified_on)["open_proposal"] is None
