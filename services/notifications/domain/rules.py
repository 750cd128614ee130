"""Rules over time: pure functions of a task's facts, the current time and the program's settings.

Each returns the firing that applies *now*, or None. A firing carries its deduplication key (the
same rule, task and key fire once, ever) and the boundary instant at which it became due, so a
service that was down fires what it missed once, late, naming the boundary it missed. Of the
approaching-deadline thresholds only the nearest one crossed fires: after three days of downtime
the 7-day warning that has become a 3-day one is not sent as well.

Every boundary depends on the facts and settings alone, never on "now" (see `boundaries`): the
scheduler need not look at a task again before the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from notifications.domain.boundaries import (
    DAY,
    approach_boundaries,
    overdue_boundary,
    pace_boundary,
    quiet_boundary,
    waiting_boundary,
)
from notifications.domain.facts import TaskFacts
from shared.rules.pace import elapsed_share


class Rule(StrEnum):
    DEADLINE_APPROACHING = "deadline_approaching"
    OVERDUE = "overdue"
    NO_PROGRESS = "no_progress"
    BEHIND_PACE = "behind_pace"
    COMPLETION_WAITING = "completion_waiting"
    TARGET_LOWERED = "target_lowered"
    DEADLINE_EXTENDED = "deadline_extended"
    TASK_REASSIGNED = "task_reassigned"
    TASK_CANCELLED = "task_cancelled"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class RuleConfig:
    """A program's settings (defaults from the service settings, overridable per program year). The
    pace has none: it is the dashboard's rule (`shared.rules.pace`), so the alert and "Có nguy cơ
    chậm" always agree."""

    approach_days: tuple[int, ...] = (7, 3, 1)
    no_progress_days: int = 30
    confirmation_wait_days: int = 7

    def __post_init__(self) -> None:
        object.__setattr__(self, "approach_days", tuple(sorted(set(self.approach_days))))


class Firing(NamedTuple):  # a tuple: a tick makes one per holding rule of every task it looks at
    rule: Rule
    key: str  # with the rule and the task, what makes an alert unique
    boundary_at: datetime  # when the condition became true
    severity: Severity
    detail: dict[str, Any]


def deadline_approaching(f: TaskFacts, now: datetime, cfg: RuleConfig) -> Firing | None:
    if now >= f.due_at:
        return None
    for days, boundary in approach_boundaries(f, cfg):
        if now >= boundary:
            severity = Severity.INFO if days > 3 else Severity.WARNING
            return Firing(Rule.DEADLINE_APPROACHING, f"{f.due_at.isoformat()}|{days}d", boundary, severity,
                          {"days": days, "due_at": f.due_at})
    return None


def overdue(f: TaskFacts, now: datetime, cfg: RuleConfig) -> Firing | None:
    boundary = overdue_boundary(f)
    if boundary is None or now < boundary:
        return None
    return Firing(Rule.OVERDUE, f.due_at.isoformat(), boundary, Severity.CRITICAL, {"due_at": f.due_at})


def no_progress(f: TaskFacts, now: datetime, cfg: RuleConfig) -> Firing | None:
    boundary = quiet_boundary(f, cfg)
    if boundary is None or now < boundary:
        return None
    since = boundary - cfg.no_progress_days * DAY
    return Firing(Rule.NO_PROGRESS, since.isoformat(), boundary, Severity.WARNING,
                  {"since": since, "days": cfg.no_progress_days, "last_report_at": f.last_report_at})


def behind_pace(f: TaskFacts, now: datetime, cfg: RuleConfig) -> Firing | None:
    """Fires once per deadline and reported value, between its boundary and the deadline."""
    boundary = pace_boundary(f)
    if boundary is None or now < boundary or now >= f.due_at:
        return None
    target = f.pace_target or 0.0
    achieved = f.achieved_value or 0.0
    expected = elapsed_share(f.program_year, f.due_at, now)
    return Firing(Rule.BEHIND_PACE, f"{f.due_at.isoformat()}|{achieved:g}", boundary, Severity.WARNING,
                  {"achieved": achieved, "target": target, "share": min(achieved / target, 1.0),
                   "expected": expected, "due_at": f.due_at})


def completion_waiting(f: TaskFacts, now: datetime, cfg: RuleConfig) -> Firing | None:
    boundary = waiting_boundary(f, cfg)
    if boundary is None or now < boundary:
        return None
    requested = f.completion_requested_at
    return Firing(Rule.COMPLETION_WAITING, requested.isoformat() if requested else "", boundary,
                  Severity.WARNING, {"requested_at": requested, "days": cfg.confirmation_wait_days,
                                     "completed_on": f.completed_on})


TimeRule = Callable[[TaskFacts, datetime, RuleConfig], Firing | None]
TIME_RULES: tuple[TimeRule, ...] = (deadline_approaching, overdue, no_progress, behind_pace, completion_waiting)


def firings_at(f: TaskFacts, now: datetime, cfg: RuleConfig) -> list[Firing]:
    return [firing for rule in TIME_RULES if (firing := rule(f, now, cfg)) is not None]

__all__ = ["DAY", "TIME_RULES", "Firing", "Rule", "RuleConfig", "Severity", "firings_at"]
