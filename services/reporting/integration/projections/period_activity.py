"""Read model: what happened in each reporting period (month, quarter, 6 and 9 months, year), per unit
— reports made, completions confirmed on time or late, revisions, cancellations. An event counts in
every period that contains the day it is about (see details.reference_day).

Counted in Python and sent as one upsert of a few rows per batch (counting in SQL from the history
rows was tried: it tripled this projection's database time, and the database is the bottleneck of
a rebuild)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from reporting.domain import events
from reporting.integration.projections.base import Batch, Statement, q
from reporting.integration.projections.details import reference_day
from reporting.persistence.codec import json_rows
from shared.periods import PeriodKind, ReportingPeriod

COUNTERS = ("progress_reports", "completion_requests", "completions", "completed_on_time", "completed_late",
            "rejections", "revisions", "targets_lowered", "deadlines_extended", "cancellations", "suspensions",
            "reassignments_in")
Key = tuple[str, int, str, str, str]  # org, program_year, unit, period code, period kind


class PeriodActivityProjection:
    table = "period_activity"

    def ddl(self) -> str:
        counters = ", ".join(f"{c} integer NOT NULL DEFAULT 0" for c in COUNTERS)
        return f"""
        CREATE TABLE IF NOT EXISTS {{schema}}.period_activity (
            org text NOT NULL, program_year integer NOT NULL, unit text NOT NULL, period text NOT NULL,
            period_kind text NOT NULL, {counters}, PRIMARY KEY (org, program_year, period, unit));
        """

    def statements(self, schema: str, batch: Batch) -> list[Statement]:
        totals: dict[Key, list[int]] = {}
        for step in batch.steps:
            e = step.event
            counted = counters_of(e)
            if counted:
                for key in keys(e.org, e.program_year, step.after.unit, reference_day(e)):
                    row = totals.get(key)
                    if row is None:
                        row = totals[key] = [0] * len(COUNTERS)
                    for index, n in counted:
                        row[index] += n
        if not totals:
            return []
        rows = [dict(zip(_KEY, key, strict=True)) | dict(zip(COUNTERS, counts, strict=True))
                for key, counts in sorted(totals.items())]
        return [(q(_UPSERT, schema), [json_rows(rows)])]


_KEY = ("org", "program_year", "unit", "period", "period_kind")
_COLUMNS = ", ".join((*_KEY, *COUNTERS))
_UPSERT = (f"INSERT INTO {{schema}}.period_activity ({_COLUMNS}) SELECT {_COLUMNS} "
           f"FROM json_populate_recordset(NULL::{{schema}}.period_activity, %s::json) "
           "ON CONFLICT (org, program_year, period, unit) DO UPDATE SET "
           + ", ".join(f"{c} = {{schema}}.period_activity.{c} + EXCLUDED.{c}" for c in COUNTERS))


@lru_cache(maxsize=4096)
def periods_of(day: date) -> tuple[tuple[str, str], ...]:
    """(code, kind) of every reporting period containing the day."""
    kinds = [PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR]
    if day.month <= 9:
        kinds.append(PeriodKind.NINE_MONTHS)
    return tuple((p.code, p.kind.value) for p in (ReportingPeriod.containing(kind, day) for kind in kinds))


@lru_cache(maxsize=65_536)
def keys(org: str, program_year: int, unit: str, day: date) -> tuple[Key, ...]:
    return tuple((org, program_year, unit, code, kind) for code, kind in periods_of(day))


_AT = {name: i for i, name in enumerate(COUNTERS)}
_ONE: dict[str, tuple[tuple[int, int], ...]] = {
    "ProgressReported": ((_AT["progress_reports"], 1),), "CompletionRequested": ((_AT["completion_requests"], 1),),
    "CompletionRejected": ((_AT["rejections"], 1),), "TaskCancelled": ((_AT["cancellations"], 1),),
    "TaskSuspended": ((_AT["suspensions"], 1),), "TaskReassigned": ((_AT["reassignments_in"], 1),),
}


def counters_of(e: events.TaskEvent) -> tuple[tuple[int, int], ...]:
    """(counter index, increment) pairs the event adds."""
    match e:
        case events.CompletionConfirmed():
            return (_AT["completions"], 1), (_AT["completed_on_time" if e.on_time else "completed_late"], 1)
        case events.TargetRevised():
            return ((_AT["revisions"], 1), (_AT["targets_lowered"], int(e.target_lowered)),
                    (_AT["deadlines_extended"], int(e.deadline_extended)))
    return _ONE.get(e.type, ())
