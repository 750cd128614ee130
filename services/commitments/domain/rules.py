"""The rules a change must satisfy before its event is recorded (kept apart from event application)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from commitments.domain.deadlines import Deadline
from commitments.domain.errors import require, require_text
from commitments.domain.targets import Target, TargetKind
from shared.periods import ReportingPeriod
from shared.vn import nfc

_UNIT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # a NATS subject token and a URL segment
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MAX_EVIDENCE = 20


def check_unit_code(code: str, field: str) -> str:
    require(bool(_UNIT_CODE.match(code)), f"{code!r} is not a unit code (lower-case letters, digits, '-')", field)
    return code


def registration_facts(*, org: str, program_year: int, ref: str, unit: str, title: str, description: str = "",
                       target: Target, deadline: Deadline, cooperating_units: tuple[str, ...] = (),
                       legal_basis: tuple[str, ...] = ()) -> dict[str, Any]:
    require(2000 <= program_year <= 2100, f"program year {program_year} is out of range", "program_year")
    require(bool(_REF.match(ref)), f"{ref!r} is not a task reference (letters, digits, '.', '_', '-')", "ref")
    check_unit_code(unit, "unit")
    for i, other in enumerate(cooperating_units):
        check_unit_code(other, f"cooperating_units[{i}]")
    require(unit not in cooperating_units, "the lead unit cannot also be a cooperating unit", "cooperating_units")
    require(len(set(cooperating_units)) == len(cooperating_units), "a cooperating unit is listed twice",
            "cooperating_units")
    return {
        "org": check_unit_code(org, "org"),
        "program_year": program_year,
        "ref": ref,
        "unit": unit,
        "title": nfc(require_text(title, "title", max_length=1000)),
        "description": nfc(description.strip()),
        "target": target,
        "deadline": deadline,
        "cooperating_units": tuple(cooperating_units),
        "legal_basis": tuple(nfc(require_text(b, f"legal_basis[{i}]", max_length=500))
                             for i, b in enumerate(legal_basis)),
    }


def check_revision(old_target: Target, old_deadline: Deadline, new_target: Target | None,
                   new_deadline: Deadline | None) -> None:
    require(new_target is not None or new_deadline is not None,
            "a revision changes the target, the deadline or both", "new_target")
    changed = (new_target is not None and new_target != old_target) or (
        new_deadline is not None and new_deadline != old_deadline)
    require(changed, "the revision changes nothing: the new target and deadline equal the current ones",
            "new_target")


def check_report(target: Target, previous: float | None, value: float | None, as_of: date,
                 period: ReportingPeriod, note: str, *, today: date) -> None:
    require(as_of <= today, f"as_of {as_of.isoformat()} is in the future", "as_of")
    require(period.first_day <= today, f"the period {period.code} has not started yet", "period")
    if target.kind is TargetKind.QUALITATIVE:
        require(value is None, "a qualitative task has no achieved value; describe progress in the note",
                "achieved_value")
        require(bool(note.strip()), "a report on a qualitative task needs a note", "note")
        return
    require(value is not None, f"a {target.kind} task's report needs achieved_value", "achieved_value")
    assert value is not None
    target.check_achieved(value)
    if previous is not None and value < previous:
        require(bool(note.strip()), "the achieved value went down: say why in the note (a correction)", "note")


def check_completion_day(completed_on: date, *, today: date) -> None:
    require(completed_on <= today, f"completed_on {completed_on.isoformat()} is in the future", "completed_on")


def check_evidence(evidence: tuple[str, ...]) -> tuple[str, ...]:
    require(len(evidence) <= MAX_EVIDENCE, f"at most {MAX_EVIDENCE} evidence references", "evidence")
    return tuple(require_text(e, f"evidence[{i}]", max_length=500) for i, e in enumerate(evidence))
