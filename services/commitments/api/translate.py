"""Request bodies → commands. Parsing the program's wordings happens here; rules stay in the domain."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4, uuid5

from commitments.api import schemas as s
from commitments.application import commands as c
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import Deadline, parse_deadline
from commitments.domain.errors import InvalidValue, require
from commitments.domain.evidence import EvidenceFile
from commitments.domain.targets import Target, TargetKind, milestone, parse_target, qualitative
from shared.instants import EARLIEST_DAY, LATEST_DAY, RANGE, civil_day
from shared.periods import InvalidPeriod, ReportingPeriod

TASK_ID_NAMESPACE = UUID("6f1c7a52-3b1e-4d8e-9a57-1c0de5ca3a11")


def task_id_for(org: str, program_year: int, ref: str) -> UUID:
    """Deterministic: the same reference in the same program is the same task (a re-registration collides)."""
    return uuid5(TASK_ID_NAMESPACE, f"{org}/{program_year}/{ref}")


def target_of(spec: s.TargetSpec | None, milestone_text: str | None, field: str) -> Target:
    require(spec is None or milestone_text is None, "give a target or a milestone, not both", field)
    if milestone_text is not None:
        return milestone(milestone_text)
    if spec is None:
        return qualitative()
    try:
        if isinstance(spec, str):
            return parse_target(spec)
        return Target(kind=TargetKind(spec.kind), text=spec.text, measure=spec.measure, minimum=spec.minimum,
                      maximum=spec.maximum, per=spec.per)
    except InvalidValue as error:
        raise InvalidValue(error.message, (error.field or "target").replace("target", field, 1)) from None


def deadline_of(text: str | None, field: str = "deadline", year: int | None = None) -> Deadline:
    """`year`, the program year, reads "Thường xuyên" and "hằng năm" (refused without it)."""
    try:
        deadline = parse_deadline(text, year)
    except InvalidValue as error:
        raise InvalidValue(error.message, field) from None
    except OverflowError:  # a day at the very ends of the calendar, shifted to UTC
        raise InvalidValue(f"the deadline {text!r} is out of range ({RANGE})", field) from None
    for instant in (deadline.starts_at, deadline.ends_at):
        if instant is not None and not EARLIEST_DAY <= instant.date() <= LATEST_DAY:
            raise InvalidValue(f"the deadline {text!r} is out of range ({RANGE})", field)
    return deadline


def approval_of(body: s.ApprovalIn, field: str = "approval") -> Approval:
    signed_on = civil_day(body.signed_on, f"{field}.signed_on") if body.signed_on else None
    return Approval.of(body.approved_by, body.document, signed_on, field=field)


def period_of(code: str) -> ReportingPeriod:
    try:
        return ReportingPeriod.parse(code)
    except InvalidPeriod as error:
        raise InvalidValue(str(error), "period") from None


def register(body: s.TaskCreate, org: str) -> c.RegisterTask:
    ref = body.ref or f"T-{uuid4().hex[:8].upper()}"
    return c.RegisterTask(
        task_id=task_id_for(org, body.program_year, ref), expected_version=None, org=org,
        program_year=body.program_year, ref=ref, unit=body.unit, title=body.title, description=body.description,
        target=target_of(body.target, body.milestone, "target"),
        deadline=deadline_of(body.deadline, year=body.program_year),
        cooperating_units=tuple(body.cooperating_units), legal_basis=tuple(body.legal_basis))


def revise(task_id: UUID, version: int | None, body: s.RevisionCreate) -> c.ReviseTarget:
    changes_target = body.new_target is not None or body.new_milestone is not None
    require(changes_target or body.new_deadline is not None,
            "a revision needs new_target, new_milestone or new_deadline", "new_target")
    return c.ReviseTarget(
        task_id=task_id, expected_version=version, reason=body.reason, approval=approval_of(body.approval),
        effective_on=civil_day(body.effective_on, "effective_on"),
        new_target=target_of(body.new_target, body.new_milestone, "new_target") if changes_target else None,
        new_deadline=deadline_of(body.new_deadline, "new_deadline") if body.new_deadline is not None else None)


def report(task_id: UUID, version: int | None, body: s.ProgressReportCreate,
           files: tuple[EvidenceFile, ...] = ()) -> c.ReportProgress:
    value = body.achieved_value
    if body.milestone_done is not None:
        require(value is None, "give achieved_value or milestone_done, not both", "milestone_done")
        value = 1.0 if body.milestone_done else 0.0
    return c.ReportProgress(task_id=task_id, expected_version=version, as_of=civil_day(body.as_of, "as_of"),
                            period=period_of(body.period), achieved_value=value, note=body.note,
                            evidence=tuple(body.evidence), evidence_files=files)


def request_completion(task_id: UUID, version: int | None, body: s.CompletionRequestCreate,
                       today: date, files: tuple[EvidenceFile, ...] = ()) -> c.RequestCompletion:
    completed_on = civil_day(body.completed_on or today, "completed_on")
    return c.RequestCompletion(task_id=task_id, expected_version=version, completed_on=completed_on,
                               note=body.note, evidence=tuple(body.evidence), evidence_files=files)


def propose(task_id: UUID, version: int | None, body: s.RevisionProposalCreate,
            files: tuple[EvidenceFile, ...]) -> c.ProposeRevision:
    changes_target = body.target is not None or body.milestone is not None
    require(changes_target or body.deadline is not None,
            "a proposal needs a target, a milestone or a deadline", "target")
    return c.ProposeRevision(
        task_id=task_id, expected_version=version, proposal_id=uuid4(), reason=body.reason,
        new_target=target_of(body.target, body.milestone, "target") if changes_target else None,
        new_deadline=deadline_of(body.deadline) if body.deadline is not None else None, evidence_files=files)
