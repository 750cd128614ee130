"""A unit merger: every open task of one unit moves to another in one command, all or nothing.

The batcher runs it in a round of its own, so its tasks' events are the only ones in the
transaction: a task that refuses the move leaves every other task as it was, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid5

from commitments.application.commands import ReassignUnit
from commitments.application.records import TaskSummary
from commitments.domain.actor import Actor
from commitments.domain.lifecycle import Lifecycle
from commitments.domain.task import Task

UNIT_NAMESPACE = UUID("0d6c3f1e-5a0b-4a57-8c2d-7e1f00c0ffee")


def merger_id(org: str, unit: str) -> UUID:
    """The id a merger command carries in place of a task id (no task has it)."""
    return uuid5(UNIT_NAMESPACE, f"{org}/unit/{unit}")


def open_tasks(command: ReassignUnit, rows: list[TaskSummary]) -> list[UUID]:
    return [row.task_id for row in rows if not Lifecycle(row.lifecycle).closed]


def reassign_all(command: ReassignUnit, actor: Actor, task_ids: list[UUID],
                 load: Callable[[UUID], Task]) -> list[Task]:
    """The tasks with their TaskReassigned pending; raises on the first that refuses (the caller then
    drops every loaded copy, since the earlier ones hold unsaved events)."""
    moved: list[Task] = []
    for task_id in task_ids:
        task = load(task_id)
        moved.append(task)
        task.reassign(actor=actor, to_unit=command.to_unit, reason=command.reason, approval=command.approval)
    return moved


def answer(command: ReassignUnit, tasks: list[Task]) -> dict[str, Any]:
    return {"unit": command.unit, "to_unit": command.to_unit, "count": len(tasks),
            "tasks": [{"task_id": str(t.id), "ref": t.ref, "version": t.version, "events": ["TaskReassigned"]}
                      for t in tasks]}
