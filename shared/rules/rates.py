"""Counts by status and the completion and on-time rates over a set of tasks. Pure.

The one definition for the dashboard, the period reports and the audit's "program figures as they
stood on a past day": rates count the tasks *assigned*, every task except those cancelled or
suspended with the Board's approval (their failure to complete is not the unit's). Completion counts
once the Board has confirmed it. A task exceeds its target when its number is above the target's
ceiling and it is counted (a cancelled task's figure is not an achievement).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from shared.status import TaskStatus

NOT_COUNTED = frozenset({TaskStatus.CANCELLED, TaskStatus.SUSPENDED})


@dataclass(frozen=True)
class Judged:
    """What "now" makes of one task, as far as the figures need it."""

    status: TaskStatus
    exceeds_target: bool  # the number reached is above the target's ceiling
    at_risk: bool  # the pace rule says "Có nguy cơ chậm"


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
        return rate(self.completed, self.counted)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.completed_on_time, self.counted)


def counts_as_exceeding(status: TaskStatus, exceeds_target: bool) -> bool:
    return exceeds_target and status not in NOT_COUNTED


def count(tasks: Iterable[Judged]) -> StatusCounts:
    statuses: Counter[TaskStatus] = Counter()
    exceeding = at_risk = 0
    for t in tasks:
        statuses[t.status] += 1
        exceeding += counts_as_exceeding(t.status, t.exceeds_target)
        at_risk += t.at_risk
    on_time, late = statuses[TaskStatus.COMPLETED_ON_TIME], statuses[TaskStatus.COMPLETED_LATE]
    total = sum(statuses.values())
    return StatusCounts(total=total, by_status={s: statuses[s] for s in TaskStatus},
                        counted=total - sum(statuses[s] for s in NOT_COUNTED), completed=on_time + late,
                        completed_on_time=on_time, completed_late=late, exceeding_target=exceeding, at_risk=at_risk)


def rate(part: int, whole: int) -> float | None:
    """A percentage (0–100); None when nothing is counted (no rate rather than a made-up 0%)."""
    return part / whole * 100 if whole else None
