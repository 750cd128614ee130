"""A task rebuilt from a selection of its events (all recorded by an instant, or all effective by one)."""

from __future__ import annotations

from typing import cast

from eventsourcing.domain import Aggregate

from commitments.domain.task import Task


def replay(events: list[Task.Event]) -> Task | None:
    """Applies events in order, tolerating gaps in the versions (a selection by effective time has them).

    The decorated methods of the aggregate only apply facts, so applying a subset is well defined."""
    if not events or not isinstance(events[0], Aggregate.Created):
        return None
    task = cast("Task", events[0].mutate(None))
    for event in events[1:]:
        event.apply(task)
        task.version = event.originator_version
        task.modified_on = event.timestamp
    return task
