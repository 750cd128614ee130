"""One look at a batch of tasks: what fires now, and when to look at each task again. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from notifications.domain.boundaries import next_boundary
from notifications.domain.facts import TaskFacts
from notifications.domain.rules import Firing, RuleConfig, firings_at

ConfigFor = Callable[[int], RuleConfig]  # program year → its settings


@dataclass
class Evaluation:
    firings: list[tuple[TaskFacts, Firing]] = field(default_factory=list)
    next_checks: list[tuple[UUID, datetime | None]] = field(default_factory=list)  # None: nothing ahead


def evaluate(tasks: Iterable[TaskFacts], now: datetime, config_for: ConfigFor) -> Evaluation:
    out = Evaluation()
    for facts in tasks:
        cfg = config_for(facts.program_year)
        out.firings.extend((facts, firing) for firing in firings_at(facts, now, cfg))
        out.next_checks.append((facts.task_id, next_boundary(facts, now, cfg)))
    return out
