"""The one translator from the public contract (v1) to the reporting side's own events: every v1 event
type has its translation, and each carries across what the read models use."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import date
from typing import Any

from pydantic import BaseModel

from reporting.domain import events as e
from reporting.integration.contract_v1 import translate
from shared.contracts import v1
from shared.contracts.v1 import TaskEventV1
from tests.unit.reporting.builders import PDF, TaskScript, at, at_least, due_on


def every_kind() -> list[TaskEventV1]:
    task, proposal = TaskScript(), uuid.uuid4()
    reported = task.progress(4, date(2025, 3, 31))
    with_file = v1.ProgressReportedV1.model_validate(reported.model_dump() | {"evidence_files": [PDF]})
    return [task.registered(), with_file, task.proposed(at(date(2025, 4, 2)), proposal, target=at_least(8)),
            task.declined(at(date(2025, 4, 3)), proposal),
            task.revised(at(date(2025, 4, 5)), target=at_least(12), deadline=due_on(date(2025, 9, 30))),
            task.requested(date(2025, 6, 1)), task.rejected(at(date(2025, 6, 2))),
            task.suspended(at(date(2025, 6, 3))), task.resumed(at(date(2025, 6, 4))),
            task.reassigned("vp", at(date(2025, 6, 5))), task.requested(date(2025, 6, 10)),
            task.confirmed(at(date(2025, 6, 12))), task.cancelled(at(date(2025, 7, 1)))]


def test_every_v1_event_type_has_its_translation() -> None:
    translated = {type(ev).__name__: translate(ev) for ev in every_kind()}
    assert {ev.type for ev in translated.values()} == set(v1.EVENT_TYPES)
    for name, ev in translated.items():
        assert type(ev).__name__ + "V1" == name and isinstance(ev, e.TaskEvent)


def test_each_event_carries_the_fields_it_has_in_both() -> None:
    for contract in every_kind():
        ev = translate(contract)
        assert (ev.task_id, ev.version, ev.unit, ev.actor.name, ev.actor.role, ev.recorded_at) == (
            contract.task_id, contract.task_version, contract.unit, contract.actor.name, contract.actor.role,
            contract.recorded_at)
        shared = {f.name for f in fields(ev)} & set(type(contract).model_fields) - {"period"}  # kept as its code
        for name in shared:
            assert same(getattr(ev, name), getattr(contract, name)), name


def same(mine: Any, theirs: Any) -> bool:
    """A plain value equal to the contract's, field by field (of the fields this side keeps)."""
    if isinstance(theirs, BaseModel):
        return all(same(getattr(mine, f.name), getattr(theirs, f.name)) for f in fields(mine))
    if isinstance(theirs, list):
        return isinstance(mine, tuple) and len(mine) == len(theirs) and all(map(same, mine, theirs))
    return bool(mine == theirs)


def test_terms_and_files_become_plain_values() -> None:
    registered, reported = (translate(ev) for ev in every_kind()[:2])
    assert isinstance(registered, e.TaskRegistered) and isinstance(reported, e.ProgressReported)
    assert (registered.target.kind, registered.target.minimum, registered.deadline.due_at) == (
        "at_least", 10.0, every_kind()[0].deadline.due_at)  # type: ignore[attr-defined]
    assert reported.evidence_files == (e.EvidenceFile(name=PDF.name, media_type=PDF.media_type, size=PDF.size,
                                                      sha256=PDF.sha256),)
    assert reported.period == "2025-03"  # the code of the period reported on
