"""When each time rule starts to hold for a task: instants that depend on the task's facts and the
program's settings alone, never on "now". `next_boundary` is the first one still ahead; the
scheduler stores it and need not look at the task before then."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from notifications.domain.facts import TaskFacts
from shared.rules.pace import achieved_share, falls_behind_at
from shared.status import completed_on_time

if TYPE_CHECKING:
    from notifications.domain.rules import RuleConfig

DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)  # deadlines are to the second: "6/2025" is due until 23:59:59, overdue after


def approach_boundaries(f: TaskFacts, cfg: RuleConfig) -> list[tuple[int, datetime]]:
    if f.lifecycle != "active":
        return []
    return [(days, f.due_at - days * DAY) for days in cfg.approach_days]  # nearest first


def overdue_boundary(f: TaskFacts) -> datetime | None:
    """Past the deadline and not confirmed complete. A completion awaiting confirmation counts only
    when the unit itself says the work was done after the day the task fell due (a slow
    confirmation is another rule's business)."""
    late_claim = f.lifecycle == "awaiting_confirmation" and f.completed_on is not None and (
        not completed_on_time(f.completed_on, f.due_at))
    return f.due_at + SECOND if f.lifecycle == "active" or late_claim else None


def quiet_boundary(f: TaskFacts, cfg: RuleConfig) -> datetime | None:
    return f.quiet_since + cfg.no_progress_days * DAY if f.lifecycle == "active" else None


def pace_boundary(f: TaskFacts) -> datetime | None:
    """When the task falls behind pace: the one rule, `shared.rules.pace` (the line from 1 January to
    the deadline, the dashboard's tolerance). None when it cannot fall behind before it is due."""
    if f.pace_target is None or f.lifecycle != "active":
        return None
    share = achieved_share(f.target_kind, f.target_minimum, f.achieved_value)
    return None if share is None else falls_behind_at(f.program_year, f.due_at, share)


def waiting_boundary(f: TaskFacts, cfg: RuleConfig) -> datetime | None:
    if f.lifecycle != "awaiting_confirmation" or f.completion_requested_at is None:
        return None
    return f.completion_requested_at + cfg.confirmation_wait_days * DAY


def next_boundary(f: TaskFacts, now: datetime, cfg: RuleConfig) -> datetime | None:
    """The first instant after `now` at which a time rule may start to hold for this task."""
    first: datetime | None = None
    for _, at in approach_boundaries(f, cfg):  # nearest first: the last one still ahead is the earliest
        if at > now:
            first = at
    for mark in (overdue_boundary(f), quiet_boundary(f, cfg), pace_boundary(f), waiting_boundary(f, cfg)):
        if mark is not None and mark > now and (first is None or mark < first):
            first = mark
    return first
