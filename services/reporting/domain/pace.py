"""The pace forecast of a task as the dashboard shows it: the one pace rule (`shared.rules.pace`)
with the figures beside it (time gone by, share reached, value projected at the deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reporting.domain import targets
from reporting.domain.task_state import TaskState
from shared.rules.pace import RULE, Pace, PaceFacts, elapsed_share, pace_at

__all__ = ["RULE", "Pace", "PaceForecast", "forecast"]


@dataclass(frozen=True)
class PaceForecast:
    pace: Pace
    elapsed_percent: float | None  # share of the time from 1 January to the deadline gone by
    achieved_percent: float | None  # share of the target reached
    projected_value: float | None  # the value reached at the deadline if the pace so far continues


def pace_facts(state: TaskState) -> PaceFacts:
    return PaceFacts(lifecycle=state.lifecycle, program_year=state.program_year, due_at=state.due_at,
                     target_kind=state.target.kind, target_minimum=state.target.minimum,
                     achieved_value=state.achieved_value)


def forecast(state: TaskState, now: datetime) -> PaceForecast:
    pace = pace_at(pace_facts(state), now)
    achieved = state.percent_of_target
    if state.lifecycle != "active":  # done, or not judged: no line to be on
        return PaceForecast(pace, None, achieved, None)
    elapsed = elapsed_share(state.program_year, state.due_at, now)
    numeric = targets.is_numeric(state.target)
    projected = (state.achieved_value or 0.0) / elapsed if numeric and elapsed > 0 else None
    return PaceForecast(pace, elapsed * 100, achieved, projected)
