"""Counts by status and completion rates over a set of tasks, at a given time. Pure.

Rates count the tasks *assigned*: every task except those cancelled or suspended with the Board's
approval (their failure to complete is not the unit's). Completion counts once confirmed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from reporting.domain.pace import Pace, forecast
from reporting.domain.task_state import TaskState
from shared.status import TaskStatus, status_at

NOT_COUNTED = frozenset({TaskStatus.CANCELLED, TaskStatus.SUSPENDED})


@dataclass(frozen=True)
class Assessed:
    """A task's facts with what "now" makes of them."""

    state: TaskState
    status: TaskStatus
    pace: Pace


def assess(state: TaskState, now: datetime) -> Assessed:
    return Assessed(state, status_at(state.status_facts(), now), forecast(state, now).pace)


@dataclass(frozen=True)
class StatusCounts:
    total: int
    by_status: dict[TaskStatus, int]
    counted: int  # the denominator of the rates: total less cancelled and suspended
    completed: int
    completed_on_time: int
    completed_late: int
    exceeding_target: int
    at_risk: int

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.completed, self.counted)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.completed_on_time, self.counted)


def count(tasks: Iterable[Assessed]) -> StatusCounts:
    statuses: Counter[TaskStatus] = Counter()
    exceeding = at_risk = 0
    for t in tasks:
        statuses[t.status] += 1
        exceeding += t.state.exceeds_target and t.status not in NOT_COUNTED
        at_risk += t.pace is Pace.AT_RISK
    on_time, late = statuses[TaskStatus.COMPLETED_ON_TIME], statuses[TaskStatus.COMPLETED_LATE]
    total = sum(statuses.values())
    return StatusCounts(total=total, by_status={s: statuses[s] for s in TaskStatus},
                        counted=total - sum(statuses[s] for s in NOT_COUNTED), completed=on_time + late,
                        completed_on_time=on_time, completed_late=late, exceeding_target=exceeding, at_risk=at_risk)


def _rate(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None
