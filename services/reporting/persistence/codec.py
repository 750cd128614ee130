"""TaskState ↔ table rows. The status read model stores each task's facts as columns (plus a few
derived ones for filtering and counting in SQL); the history stores the facts that change, as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from psycopg.types.json import Jsonb

from reporting.domain import targets
from reporting.domain.task_state import TaskState
from shared.contracts.common import DeadlineV1, TargetV1

TASK_COLUMNS = (
    "task_id", "org", "program_year", "ref", "unit", "title", "description", "target", "deadline", "due_at",
    "lifecycle", "registered_at", "updated_at", "version", "achieved_value", "last_report_as_of",
    "completion_requested_on", "completed_on", "revisions", "previous_units", "cooperating_units",
    # derived, for SQL filters and counts
    "target_kind", "quantitative", "percent_of_target", "exceeds_target", "target_met", "on_time", "started",
)


def task_row(s: TaskState) -> tuple[Any, ...]:
    return (s.task_id, s.org, s.program_year, s.ref, s.unit, s.title, s.description, Jsonb(_target_json(s.target)),
            Jsonb(_deadline_json(s.deadline)), s.due_at, s.lifecycle, s.registered_at, s.updated_at, s.version,
            s.achieved_value, s.last_report_as_of, s.completion_requested_on, s.completed_on, s.revisions,
            list(s.previous_units), list(s.cooperating_units), s.target.kind, targets.is_numeric(s.target),
            s.percent_of_target, s.exceeds_target, s.target_met, s.on_time, s.started)


def task_from_row(row: Mapping[str, Any]) -> TaskState:
    return TaskState(
        task_id=row["task_id"], org=row["org"], program_year=row["program_year"], ref=row["ref"], unit=row["unit"],
        title=row["title"], description=row["description"], target=TargetV1.model_validate(row["target"]),
        deadline=DeadlineV1.model_validate(row["deadline"]), lifecycle=row["lifecycle"],
        registered_at=row["registered_at"], updated_at=row["updated_at"], version=row["version"],
        achieved_value=row["achieved_value"], last_report_as_of=row["last_report_as_of"],
        completion_requested_on=row["completion_requested_on"], completed_on=row["completed_on"],
        revisions=row["revisions"], previous_units=tuple(row["previous_units"]),
        cooperating_units=tuple(row["cooperating_units"]))


def facts_json(s: TaskState) -> dict[str, Any]:
    """What can change after registration: enough to rebuild the task as it stood after an event."""
    return {"unit": s.unit, "target": _target_json(s.target), "deadline": _deadline_json(s.deadline),
            "lifecycle": s.lifecycle, "updated_at": s.updated_at.isoformat(), "version": s.version,
            "achieved_value": s.achieved_value, "last_report_as_of": _iso(s.last_report_as_of),
            "completion_requested_on": _iso(s.completion_requested_on), "completed_on": _iso(s.completed_on),
            "revisions": s.revisions, "previous_units": list(s.previous_units)}


def with_facts(task: TaskState, facts: Mapping[str, Any]) -> TaskState:
    """The task (its fixed facts) as it stood when `facts` were recorded."""
    return replace(
        task, unit=facts["unit"], target=TargetV1.model_validate(facts["target"]),
        deadline=DeadlineV1.model_validate(facts["deadline"]), lifecycle=facts["lifecycle"],
        updated_at=datetime.fromisoformat(facts["updated_at"]), version=facts["version"],
        achieved_value=facts["achieved_value"], last_report_as_of=_day(facts["last_report_as_of"]),
        completion_requested_on=_day(facts["completion_requested_on"]), completed_on=_day(facts["completed_on"]),
        revisions=facts["revisions"], previous_units=tuple(facts["previous_units"]))


@lru_cache(maxsize=4096)
def _target_json(target: TargetV1) -> dict[str, Any]:
    return target.model_dump(mode="json")


@lru_cache(maxsize=4096)
def _deadline_json(deadline: DeadlineV1) -> dict[str, Any]:
    return deadline.model_dump(mode="json")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
