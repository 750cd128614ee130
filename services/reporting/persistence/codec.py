"""TaskState ↔ table rows. The status read model stores each task's facts as columns (plus a few
derived ones for filtering and counting in SQL); the history stores the facts that change, as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from psycopg.types.json import Json
from pydantic_core import to_json

from reporting.domain import targets
from reporting.domain.task_state import TaskState
from reporting.domain.terms import Deadline, Target

TASK_COLUMNS = (
    "task_id", "org", "program_year", "ref", "unit", "title", "description", "target", "deadline", "due_at",
    "lifecycle", "registered_at", "updated_at", "version", "achieved_value", "last_report_as_of",
    "completion_requested_on", "completed_on", "revisions", "previous_units", "cooperating_units",
    "open_proposal_id",
    # derived, for SQL filters and counts
    "target_kind", "quantitative", "percent_of_target", "exceeds_target", "target_met", "on_time", "started",
)


def task_record(s: TaskState) -> dict[str, Any]:
    """A task_status row as a JSON object (rows travel to PostgreSQL as one JSON array per batch)."""
    return {"task_id": s.task_id, "org": s.org, "program_year": s.program_year, "ref": s.ref, "unit": s.unit,
            "title": s.title, "description": s.description, "target": target_json(s.target),
            "deadline": deadline_json(s.deadline), "due_at": s.due_at, "lifecycle": s.lifecycle,
            "registered_at": s.registered_at, "updated_at": s.updated_at, "version": s.version,
            "achieved_value": s.achieved_value, "last_report_as_of": s.last_report_as_of,
            "completion_requested_on": s.completion_requested_on, "completed_on": s.completed_on,
            "revisions": s.revisions, "previous_units": s.previous_units, "cooperating_units": s.cooperating_units,
            "open_proposal_id": s.open_proposal_id,
            "target_kind": s.target.kind, "quantitative": targets.is_numeric(s.target),
            "percent_of_target": s.percent_of_target, "exceeds_target": s.exceeds_target, "target_met": s.target_met,
            "on_time": s.on_time, "started": s.started}


PROGRESS_COLUMNS = ("lifecycle", "updated_at", "version", "achieved_value", "last_report_as_of",
                    "completion_requested_on", "completed_on", "percent_of_target", "exceeds_target", "target_met",
                    "on_time", "started", "open_proposal_id")


def progress_record(s: TaskState) -> dict[str, Any]:
    """The columns that events other than registration, revision and reassignment change."""
    return {"task_id": s.task_id, "lifecycle": s.lifecycle, "updated_at": s.updated_at, "version": s.version,
            "achieved_value": s.achieved_value, "last_report_as_of": s.last_report_as_of,
            "completion_requested_on": s.completion_requested_on, "completed_on": s.completed_on,
            "percent_of_target": s.percent_of_target, "exceeds_target": s.exceeds_target, "target_met": s.target_met,
            "on_time": s.on_time, "started": s.started, "open_proposal_id": s.open_proposal_id}


def to_json_text(records: list[dict[str, Any]]) -> str:
    return to_json(records).decode()


def json_rows(records: list[dict[str, Any]]) -> Json:
    """Rows as one `json` parameter, serialised now (while the previous batch is in PostgreSQL) and sent
    as the UTF-8 bytes to_json made: decoding them to `str` for psycopg to encode again cost ~4% of a
    rebuild's CPU."""
    return Json(to_json(records), dumps=_as_is)


def _as_is(data: Any) -> Any:
    return data


def task_from_row(row: Mapping[str, Any]) -> TaskState:
    return TaskState(
        task_id=row["task_id"], org=row["org"], program_year=row["program_year"], ref=row["ref"], unit=row["unit"],
        title=row["title"], description=row["description"], target=_target(row["target"]),
        deadline=_deadline(row["deadline"]), lifecycle=row["lifecycle"],
        registered_at=row["registered_at"], updated_at=row["updated_at"], version=row["version"],
        achieved_value=row["achieved_value"], last_report_as_of=row["last_report_as_of"],
        completion_requested_on=row["completion_requested_on"], completed_on=row["completed_on"],
        revisions=row["revisions"], previous_units=tuple(row["previous_units"]),
        cooperating_units=tuple(row["cooperating_units"]), open_proposal_id=row.get("open_proposal_id"))


def facts_json(s: TaskState) -> dict[str, Any]:
    """What can change after registration, except the terms (see terms_json) and what the history row
    has in its own columns (version, time, achieved value): with those, the task as it stood."""
    return {"unit": s.unit, "lifecycle": s.lifecycle, "last_report_as_of": s.last_report_as_of,
            "completion_requested_on": s.completion_requested_on, "completed_on": s.completed_on,
            "revisions": s.revisions, "previous_units": s.previous_units, "open_proposal_id": s.open_proposal_id}


def terms_json(s: TaskState) -> dict[str, Any]:
    """The target and deadline: stored only with the events that set them (registration, revision)."""
    return {"target": target_json(s.target), "deadline": deadline_json(s.deadline)}


def with_facts(task: TaskState, row: Mapping[str, Any], terms: Mapping[str, Any]) -> TaskState:
    """The task (its fixed facts) as it stood after the history row `row` (its facts and own columns
    version, recorded_at, achieved_value), under `terms`."""
    facts = row["facts"]
    return replace(
        task, unit=facts["unit"], target=_target(terms["target"]), deadline=_deadline(terms["deadline"]),
        lifecycle=facts["lifecycle"], updated_at=row["recorded_at"], version=row["version"],
        achieved_value=row["achieved_value"],
        last_report_as_of=_day(facts["last_report_as_of"]), completion_requested_on=_day(
            facts["completion_requested_on"]), completed_on=_day(facts["completed_on"]),
        revisions=facts["revisions"], previous_units=tuple(facts["previous_units"]),
        open_proposal_id=_uuid(facts.get("open_proposal_id")))  # absent from rows written before proposals


def target_json(t: Target) -> dict[str, Any]:
    """As the contract's JSON has it (the same keys, in the same order)."""
    return {"kind": t.kind, "text": t.text, "measure": t.measure, "minimum": t.minimum, "maximum": t.maximum,
            "per": t.per}


def deadline_json(d: Deadline) -> dict[str, Any]:
    """Instants stay datetimes here: to_json writes them as the contract does."""
    return {"kind": d.kind, "text": d.text, "starts_at": d.starts_at, "ends_at": d.ends_at, "recurring": d.recurring,
            "due_at": d.due_at}


def _target(data: dict[str, Any]) -> Target:
    return _target_from(tuple(data.items()))


def _deadline(data: dict[str, Any]) -> Deadline:
    return _deadline_from(tuple(data.items()))


# Targets and deadlines repeat across rows: one object per distinct value (and no re-parsing).
@lru_cache(maxsize=8192)
def _target_from(items: tuple[tuple[str, Any], ...]) -> Target:
    d = dict(items)
    return Target(kind=d["kind"], text=d["text"], measure=d["measure"], minimum=d["minimum"], maximum=d["maximum"],
                  per=d["per"])


@lru_cache(maxsize=8192)
def _deadline_from(items: tuple[tuple[str, Any], ...]) -> Deadline:
    d = dict(items)
    return Deadline(kind=d["kind"], text=d["text"], starts_at=_instant(d["starts_at"]), ends_at=_instant(d["ends_at"]),
                    recurring=d["recurring"], due_at=datetime.fromisoformat(d["due_at"]))


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _uuid(text: str | None) -> UUID | None:
    return UUID(text) if text else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
