"""The public JSON of a progress report written directly, without building its pydantic contract.

Progress reports are nearly every event the publisher sends, and building `ProgressReportedV1`
(validating it and its actor and period, then serialising) cost ~50 µs of the ~130 µs a message
took to read and translate. This writes the same bytes with orjson from the event and the task:
the fields in the contract's order, floats as floats (`5.0`), datetimes as pydantic writes them
(`…Z`), text as UTF-8. `tests/unit/publisher/test_direct.py` holds it to `translate(...)
.model_dump_json()` for every stored event of the fixtures and for generated values; anything it
cannot write identically (text with a lone surrogate) returns None, and the caller goes the
pydantic way. Every other event type always goes the pydantic way (`commitments.integration`).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from math import isfinite
from typing import Any
from uuid import UUID

import orjson

from commitments.domain.actor import Actor
from commitments.domain.task import Task
from shared.periods import ReportingPeriod
from shared.vn import end_of_day

_OPTIONS = orjson.OPT_UTC_Z


def progress_reported_json(event: Task.Event, task: Task, public_id: UUID) -> bytes | None:
    """The JSON of `ProgressReportedV1` for this event (`public_id`: its `translator.event_id`), or None
    when only pydantic can write it."""
    state: dict[str, Any] = event.__dict__
    contract = {
        "event_id": str(public_id), "org": task.org,
        "task_id": str(event.originator_id), "task_ref": task.ref, "program_year": task.program_year,
        "unit": task.unit, "task_version": event.originator_version,
        "actor": _actor(state["actor"]), "recorded_at": event.timestamp, "effective_at": _end_of_day(state["as_of"]),
        "type": "ProgressReported",
        "achieved_value": _number(state["achieved_value"]), "previous_value": _number(state["previous_value"]),
        "as_of": state["as_of"],
        "period": _period(state["period"]),
        "note": state["note"], "evidence": list(state["evidence"]),
        "evidence_files": [{"name": f.name, "media_type": f.media_type, "size": f.size, "sha256": f.sha256}
                           for f in state.get("evidence_files", ())],
    }
    try:
        return orjson.dumps(contract, option=_OPTIONS)
    except orjson.JSONEncodeError:  # a lone surrogate (only a row written by hand holds one)
        return None


# Reports repeat a few actors, periods and days: each is converted once (frozen values, bounded caches).
@lru_cache(maxsize=4096)
def _actor(actor: Actor) -> dict[str, str]:
    return {"user_id": actor.user_id, "name": actor.name, "unit": actor.unit, "role": actor.role.value,
            "issuer": actor.issuer, "subject": actor.subject}


@lru_cache(maxsize=1024)
def _period(period: ReportingPeriod) -> dict[str, Any]:
    return {"code": period.code, "kind": period.kind.value, "year": period.year, "number": period.number,
            "label": period.label}


@lru_cache(maxsize=4096)
def _end_of_day(day: date) -> datetime:
    return end_of_day(day)


def _number(value: float | None) -> float | None:
    """As the contract's `float | None` field holds it (an int becomes a float; pydantic writes
    a non-finite float as null)."""
    if value is None:
        return None
    number = float(value)
    return number if isfinite(number) else None
