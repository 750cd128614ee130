"""The Task aggregate: one commitment of a unit in the annual program, and every change to it.

Public methods check the rules and then trigger an event; the decorated private methods only apply
an event's facts, so that replaying old events never re-runs rules that may have changed since.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from commitments.domain import clock
from commitments.domain.actor import Actor
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import Deadline
from commitments.domain.errors import InvalidState, require, require_text
from commitments.domain.evidence import EvidenceFile, check_evidence_files
from commitments.domain.lifecycle import Lifecycle
from commitments.domain.proposals import CompletionRequest, RevisionProposal
from commitments.domain.rules import (
    check_completion_day,
    check_evidence,
    check_report,
    check_revision,
    registration_facts,
)
from commitments.domain.targets import Target
from shared.periods import ReportingPeriod
from shared.vn import local_date


class Task(Aggregate):
    # Class-level defaults: tasks loaded from snapshots taken before these existed have neither.
    open_proposal: RevisionProposal | None = None
    completion_request: CompletionRequest | None = None

    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return clock.now()

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def register(cls, *, task_id: Any, actor: Actor, **facts: Any) -> Task:
        # _create lets the caller choose the id (derived from the program reference, so that
        # registering the same reference twice collides in the store instead of duplicating).
        registered = cast(Any, cls).TaskRegistered
        return cls._create(event_class=registered, id=task_id, actor=actor, **registration_facts(**facts))

    @event("TaskRegistered")
    def __init__(self, *, org: str, program_year: int, ref: str, unit: str, title: str, description: str,
                 target: Target, deadline: Deadline, cooperating_units: tuple[str, ...],
                 legal_basis: tuple[str, ...], actor: Actor) -> None:
        self.org, self.program_year, self.ref, self.unit = org, program_year, ref, unit
        self.title, self.description = title, description
        self.target, self.deadline = target, deadline
        self.cooperating_units, self.legal_basis = tuple(cooperating_units), tuple(legal_basis)
        self._lifecycle = Lifecycle.ACTIVE.value
        self.achieved_value: float | None = None
        self.last_report_as_of: date | None = None
        self.completed_on: date | None = None
        self.completion_requested_on: date | None = None
        self.suspended_since: date | None = None

    # --- revising the target or deadline (Board) ---------------------------------------------

    def revise(self, *, actor: Actor, reason: str, approval: Approval, effective_on: date,
               new_target: Target | None = None, new_deadline: Deadline | None = None,
               proposal_id: UUID | None = None) -> None:
        self._check_open("revise")
        check_revision(self.target, self.deadline, new_target, new_deadline)
        self._target_revised(old_target=self.target, new_target=new_target or self.target,
                             old_deadline=self.deadline, new_deadline=new_deadline or self.deadline,
                             reason=require_text(reason, "reason"), approval=approval,
                             effective_on=effective_on, actor=actor, proposal_id=proposal_id)

    @event("TargetRevised")
    def _target_revised(self, *, old_target: Target, new_target: Target, old_deadline: Deadline,
                        new_deadline: Deadline, reason: str, approval: Approval, effective_on: date,
                        actor: Actor, proposal_id: UUID | None = None) -> None:
        self.target, self.deadline = new_target, new_deadline
        if proposal_id is not None:
            self.open_proposal = None

    # --- revision proposals (a unit head proposes, the Board approves or declines) -----------

    def propose_revision(self, *, actor: Actor, proposal_id: UUID, reason: str, new_target: Target | None = None,
                         new_deadline: Deadline | None = None, evidence_files: tuple[EvidenceFile, ...] = ()) -> None:
        self._check_open("propose a revision of")
        if self.open_proposal is not None:
            raise InvalidState(f"proposal {self.open_proposal.proposal_id} is still open: the Board decides it "
                               "first", "proposal_id")
        check_revision(self.target, self.deadline, new_target, new_deadline)
        self._revision_proposed(proposal_id=proposal_id, new_target=new_target, new_deadline=new_deadline,
                                reason=require_text(reason, "reason"),
                                evidence_files=check_evidence_files(tuple(evidence_files)), actor=actor)

    @event("RevisionProposed")
    def _revision_proposed(self, *, proposal_id: UUID, new_target: Target | None, new_deadline: Deadline | None,
                           reason: str, evidence_files: tuple[EvidenceFile, ...], actor: Actor) -> None:
        self.open_proposal = RevisionProposal(proposal_id=proposal_id, target=new_target, deadline=new_deadline,
                                              reason=reason, evidence_files=tuple(evidence_files), actor=actor,
                                              version=self.version + 1)

    def approve_proposal(self, *, actor: Actor, proposal_id: UUID, approval: Approval, effective_on: date) -> None:
        proposal = self._proposal(proposal_id)
        self.revise(actor=actor, reason=proposal.reason, approval=approval, effective_on=effective_on,
                    new_target=proposal.target, new_deadline=proposal.deadline, proposal_id=proposal_id)

    def decline_proposal(self, *, actor: Actor, proposal_id: UUID, reason: str) -> None:
        self._proposal(proposal_id)
        self._revision_declined(proposal_id=proposal_id, reason=require_text(reason, "reason"), actor=actor)

    @event("RevisionDeclined")
    def _revision_declined(self, *, proposal_id: UUID, reason: str, actor: Actor) -> None:
        self.open_proposal = None

    def _proposal(self, proposal_id: UUID) -> RevisionProposal:
        proposal = self.open_proposal
        if proposal is None or proposal.proposal_id != proposal_id:
            raise InvalidState(f"proposal {proposal_id} is not the task's open proposal", "proposal_id")
        return proposal

    # --- progress (unit) ---------------------------------------------------------------------

    def report_progress(self, *, actor: Actor, as_of: date, period: ReportingPeriod,
                        achieved_value: float | None = None, note: str = "",
                        evidence: tuple[str, ...] = (), evidence_files: tuple[EvidenceFile, ...] = ()) -> None:
        self._check_open("report progress on")
        require(self.lifecycle is not Lifecycle.SUSPENDED, "the task is suspended (tạm hoãn)", "task")
        check_report(self.target, self.achieved_value, achieved_value, as_of, period, note,
                     today=local_date(clock.now()))
        self._progress_reported(achieved_value=achieved_value, previous_value=self.achieved_value,
                                as_of=as_of, period=period, note=note.strip(), evidence=check_evidence(tuple(evidence)),
                                actor=actor, evidence_files=check_evidence_files(tuple(evidence_files)))

    @event("ProgressReported")
    def _progress_reported(self, *, achieved_value: float | None, previous_value: float | None, as_of: date,
                           period: ReportingPeriod, note: str, evidence: tuple[str, ...], actor: Actor,
                           evidence_files: tuple[EvidenceFile, ...] = ()) -> None:
        if achieved_value is not None:
            self.achieved_value = achieved_value
        self.last_report_as_of = as_of

    # --- completion (unit asks, Board confirms or rejects) -----------------------------------

    def request_completion(self, *, actor: Actor, completed_on: date, note: str = "",
                           evidence: tuple[str, ...] = (), evidence_files: tuple[EvidenceFile, ...] = ()) -> None:
        self._require_lifecycle(Lifecycle.ACTIVE, "request completion of")
        check_completion_day(completed_on, today=local_date(clock.now()))
        self._completion_requested(completed_on=completed_on, note=note.strip(),
                                   evidence=check_evidence(tuple(evidence)), actor=actor,
                                   evidence_files=check_evidence_files(tuple(evidence_files)))

    @event("CompletionRequested")
    def _completion_requested(self, *, completed_on: date, note: str, evidence: tuple[str, ...],
                              actor: Actor, evidence_files: tuple[EvidenceFile, ...] = ()) -> None:
        self._lifecycle = Lifecycle.AWAITING_CONFIRMATION.value
        self.completion_requested_on = completed_on
        self.completion_request = CompletionRequest(
            completed_on=completed_on, note=note, evidence=tuple(evidence), evidence_files=tuple(evidence_files),
            actor=actor, version=self.version + 1)

    def confirm_completion(self, *, actor: Actor, note: str = "") -> None:
        self._require_lifecycle(Lifecycle.AWAITING_CONFIRMATION, "confirm completion of")
        assert self.completion_requested_on is not None  # set whenever a completion is awaited
        self._completion_confirmed(completed_on=self.completion_requested_on, note=note.strip(), actor=actor)

    @event("CompletionConfirmed")
    def _completion_confirmed(self, *, completed_on: date, note: str, actor: Actor) -> None:
        self._lifecycle = Lifecycle.COMPLETED.value
        self.completed_on = completed_on
        self.completion_request = None

    def reject_completion(self, *, actor: Actor, reason: str) -> None:
        self._require_lifecycle(Lifecycle.AWAITING_CONFIRMATION, "reject completion of")
        self._completion_rejected(reason=require_text(reason, "reason"), actor=actor)

    @event("CompletionRejected")
    def _completion_rejected(self, *, reason: str, actor: Actor) -> None:
        self._lifecycle = Lifecycle.ACTIVE.value
        self.completion_requested_on = None
        self.completion_request = None

    # --- cancellation, suspension, reassignment ----------------------------------------------

    def cancel(self, *, actor: Actor, reason: str, approval: Approval) -> None:
        self._check_open("cancel")
        self._task_cancelled(reason=require_text(reason, "reason"), approval=approval, actor=actor)

    @event("TaskCancelled")
    def _task_cancelled(self, *, reason: str, approval: Approval, actor: Actor) -> None:
        self._lifecycle = Lifecycle.CANCELLED.value

    def suspend(self, *, actor: Actor, reason: str, approval: Approval) -> None:
        self._check_open("suspend")
        require(self.lifecycle is not Lifecycle.SUSPENDED, "the task is already suspended", "task")
        self._task_suspended(reason=require_text(reason, "reason"), approval=approval, actor=actor)

    @event("TaskSuspended")
    def _task_suspended(self, *, reason: str, approval: Approval, actor: Actor) -> None:
        self._lifecycle = Lifecycle.SUSPENDED.value

    def resume(self, *, actor: Actor, note: str = "") -> None:
        self._require_lifecycle(Lifecycle.SUSPENDED, "resume")
        self._task_resumed(note=note.strip(), actor=actor)

    @event("TaskResumed")
    def _task_resumed(self, *, note: str, actor: Actor) -> None:
        self._lifecycle = Lifecycle.ACTIVE.value

    def reassign(self, *, actor: Actor, to_unit: str, reason: str, approval: Approval | None = None) -> None:
        """Units merge or are renamed during a year; a task keeps its history under its new unit."""
        require(self.lifecycle is not Lifecycle.CANCELLED, "a cancelled task is not reassigned", "task")
        target_unit = require_text(to_unit, "to_unit", max_length=64)
        require(target_unit != self.unit, f"the task already belongs to {target_unit}", "to_unit")
        self._task_reassigned(from_unit=self.unit, to_unit=target_unit, reason=require_text(reason, "reason"),
                              approval=approval, actor=actor)

    @event("TaskReassigned")
    def _task_reassigned(self, *, from_unit: str, to_unit: str, reason: str, approval: Approval | None,
                         actor: Actor) -> None:
        self.unit = to_unit
        self.cooperating_units = tuple(u for u in self.cooperating_units if u != to_unit)

    # --- helpers -----------------------------------------------------------------------------

    @property
    def lifecycle(self) -> Lifecycle:
        # Kept as its string value: a snapshot stores the state as JSON and gives strings back.
        return Lifecycle(self._lifecycle)

    def effective_deadline(self) -> datetime:
        return self.deadline.effective_end(self.program_year)

    def _check_open(self, action: str) -> None:
        if self.lifecycle.closed:
            raise InvalidState(f"cannot {action} a task that is {self.lifecycle.value}", "task")

    def _require_lifecycle(self, expected: Lifecycle, action: str) -> None:
        if self.lifecycle is not expected:
            raise InvalidState(
                f"cannot {action} a task that is {self.lifecycle.value} (it must be {expected.value})", "task")


# Attributes added to events already stored (policy: services/commitments/README.md, rule 1): version 2
# of these events has them; an event stored as version 1 is upcast on reading, so it has them too.
def _upcast_evidence_files(state: dict[str, Any]) -> None:
    state.setdefault("evidence_files", [])


def _upcast_proposal_id(state: dict[str, Any]) -> None:
    state.setdefault("proposal_id", None)


for _event, _upcast in ((Task.ProgressReported, _upcast_evidence_files),  # type: ignore[attr-defined]
                        (Task.CompletionRequested, _upcast_evidence_files),  # type: ignore[attr-defined]
                        (Task.TargetRevised, _upcast_proposal_id)):  # type: ignore[attr-defined]
    _event.class_version = 2
    _event.upcast_v1_v2 = staticmethod(_upcast)
