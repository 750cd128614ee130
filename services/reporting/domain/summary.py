"""Counts by status and completion rates over a set of tasks, at a given time: the one definition
of `shared.rules.rates` applied to the dashboard's task facts. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from reporting.domain.pace import Pace, forecast
from reporting.domain.task_state import TaskState
from shared.rules import rates
from shared.rules.rates import NOT_COUNTED, StatusCounts
from shared.status import TaskStatus, status_at

__all__ = ["NOT_COUNTED", "Assessed", "StatusCounts", "assess", "count"]


@dataclass(frozen=True)
class Assessed:
    """A task's facts with what "now" makes of them."""

    state: TaskState
    status: TaskStatus
    pace: Pace


def assess(state: TaskState, now: datetime) -> Assessed:
    return Assessed(state, status_at(state.status_facts(), now), forecast(state, now).pace)


def count(tasks: Iterable[Assessed]) -> StatusCounts:
    return rates.count(rates.Judged(t.status, t.state.exceeds_target, t.pace is Pace.AT_RISK) for t in tasks)
