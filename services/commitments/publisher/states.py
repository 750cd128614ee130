"""The task's state right after each event, which the translator needs (unit, program year, reference).

Following the log in order, the state after event v of a task is the state after v - 1 with event v
applied, so an LRU of recent task states makes this one cheap step per event. A miss (the first
event of a task seen since the publisher started, or a task evicted from the LRU) rebuilds the
task at that version from the store: a snapshot plus the events after it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol, cast
from uuid import UUID

from commitments.domain.task import Task


class TaskAtVersion(Protocol):
    def __call__(self, task_id: UUID, version: int) -> Task: ...


class TaskStates:
    def __init__(self, load: TaskAtVersion, size: int = 10_000) -> None:
        self._load = load
        self._size = size
        self._tasks: OrderedDict[UUID, Task] = OrderedDict()
        self.rebuilt = 0  # how many events needed a rebuild from the store (a measure of LRU misses)

    def after(self, event: Task.Event) -> Task:
        """The task as it is right after `event`."""
        task_id, version = event.originator_id, event.originator_version
        known = self._tasks.pop(task_id, None)
        if known is not None and known.version == version - 1:
            task = cast("Task", event.mutate(known))
        elif version == 1:
            task = cast("Task", event.mutate(None))
        else:
            self.rebuilt += 1
            task = self._load(task_id, version)
        self._tasks[task_id] = task
        while len(self._tasks) > self._size:
            self._tasks.popitem(last=False)
        return task
