"""The dashboard's overview: the program summary beside the tasks a user has filtered (by unit, by the
period in which they fall due, by text), with the counts of that selection. Built on queries.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reporting.application.present import assessed, counts_view, task_view
from reporting.application.queries import program_summary, states_at
from reporting.application.read_store import ReadStore
from reporting.application.views import CountsView, ProgramSummary, TaskView
from reporting.domain.summary import count
from reporting.domain.task_state import TaskState
from shared.periods import ReportingPeriod
from shared.status import TaskStatus
from shared.vn import fold, local_date


@dataclass(frozen=True, slots=True)
class Dashboard:
    summary: ProgramSummary  # the whole program year, per unit
    selection: CountsView  # the tasks matching unit, period and text (any status)
    tasks: list[TaskView]  # those also matching the status


async def dashboard(db: ReadStore, org: str, *, now: datetime, year: int | None = None, unit: str | None = None,
                    status: TaskStatus | None = None, period: ReportingPeriod | None = None,
                    search: str | None = None, as_of: datetime | None = None) -> Dashboard:
    summary = await program_summary(db, org, now=now, year=year, as_of=as_of)
    states, at = await states_at(db, org, now=now, as_of=as_of, year=year)
    needle = fold(search.strip()) if search and search.strip() else None
    chosen = assessed([s for s in states if _matches(s, unit, period, needle)], at)
    tasks = [task_view(t.state, at) for t in chosen if status is None or t.status is status]
    return Dashboard(summary=summary, selection=counts_view(count(chosen)), tasks=tasks)


def default_year(years: list[int], now: datetime) -> int | None:
    """This year's program if there is one, else the latest."""
    this_year = local_date(now).year
    return this_year if this_year in years else (max(years) if years else None)


def _matches(state: TaskState, unit: str | None, period: ReportingPeriod | None, needle: str | None) -> bool:
    if unit and state.unit != unit:
        return False
    if period and not period.contains(state.due_at):
        return False
    return not needle or needle in fold(f"{state.ref} {state.title}")
