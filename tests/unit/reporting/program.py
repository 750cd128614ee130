"""A synthetic year of a program: many tasks, each with a plausible story, interleaved in time.
Deterministic for a seed. Used by the rebuild and crash tests and by bench/bench_reporting.py."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from shared.catalog import organisation
from shared.contracts.common import DeadlineV1, TargetV1
from shared.contracts.v1 import TaskEventV1
from tests.unit.reporting.builders import (
    TaskScript,
    at,
    at_least,
    between,
    due_month,
    due_on,
    due_quarter,
    due_year,
    exactly,
    milestone,
    percentage,
    qualitative,
    recurring_from,
)

UNITS = [u.code for u in organisation().task_owners]


def _target(rng: random.Random) -> TargetV1:
    return rng.choice([at_least(rng.randint(2, 20)), exactly(rng.randint(1, 5)), between(1, rng.randint(2, 6)),
                       percentage(100), milestone(), qualitative()])


def _deadline(rng: random.Random, year: int) -> DeadlineV1:
    return rng.choice([due_month(year, rng.randint(2, 12)), due_quarter(year, rng.randint(1, 4)), due_year(year),
                       recurring_from(year - 1, year), due_on(date(year, rng.randint(2, 12), rng.randint(1, 28)))])


def _story(rng: random.Random, task: TaskScript, events_per_task: int) -> Iterator[tuple[date, TaskEventV1]]:
    day = date(task.year, 1, 2) + timedelta(days=rng.randint(0, 20))
    yield day, task.registered(at(day))
    value, numeric = 0.0, task.target.kind not in ("milestone", "qualitative")
    for _ in range(events_per_task - 1):
        day += timedelta(days=rng.randint(1, 4))
        roll = rng.random()
        if roll < 0.03 and task.lifecycle == "active":
            yield day, task.revised(at(day, 10), target=_target(rng), deadline=_deadline(rng, task.year))
            numeric = task.target.kind not in ("milestone", "qualitative")
        elif roll < 0.05 and task.lifecycle in ("active", "suspended"):
            to = rng.choice([u for u in UNITS if u != task.unit])
            yield day, task.reassigned(to, at(day, 11))
        elif roll < 0.06 and task.lifecycle == "active":
            yield day, task.suspended(at(day, 12))
        elif task.lifecycle == "suspended":
            yield day, task.resumed(at(day, 12))
        elif task.lifecycle == "awaiting_confirmation":
            yield day, (task.confirmed(at(day, 15)) if rng.random() < 0.7 else task.rejected(at(day, 15)))
        elif task.lifecycle == "completed" or (roll > 0.97 and task.lifecycle == "active"):
            if task.lifecycle == "completed":
                return
            yield day, task.requested(day)
        else:
            value = value + rng.randint(0, 3) if numeric else value
            reported = (min(value, 100.0) if task.target.kind == "percentage" else value) if numeric else None
            if task.target.kind == "milestone":
                reported = 1.0 if rng.random() < 0.1 else 0.0
            yield day, task.progress(reported, day)


def synthetic_program(tasks: int, events_per_task: int, *, year: int = 2025, seed: int = 7) -> list[TaskEventV1]:
    """About tasks × events_per_task events, in the order they were recorded (per-task order kept)."""
    rng = random.Random(seed)
    stamped: list[tuple[date, int, int, TaskEventV1]] = []
    for n in range(tasks):
        unit = UNITS[n % len(UNITS)]
        task = TaskScript(ref=f"{unit.upper()}-{n:05d}", unit=unit, year=year, target=_target(rng),
                          deadline=_deadline(rng, year))
        for i, (day, event) in enumerate(_story(rng, task, events_per_task)):
            stamped.append((day, n, i, event))
    stamped.sort(key=lambda s: (s[0], s[1], s[2]))
    return [s[3] for s in stamped]
