"""A task's history for the Inspectorate: each change with who, when, why, whose approval, and what changed.

Pages start from the nearest snapshot at or below the page's first version, so reading the latest
changes of a long history costs one snapshot interval, not the whole history.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from commitments.application.views import TaskViews
from commitments.audit.application.ports import PublicEvents, TaskReader
from commitments.audit.domain.diff import diff
from commitments.audit.domain.errors import NotRecorded
from commitments.domain.errors import TaskNotFound
from commitments.domain.task import Task


def entry(data: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
    """One change: the public event as published (JSON), its parts the Inspectorate reads first, the diff."""
    return {"version": data["task_version"], "kind": data["type"], "recorded_at": data["recorded_at"],
            "effective_at": data["effective_at"], "actor": data["actor"], "unit": data["unit"],
            "reason": data.get("reason"), "approval": data.get("approval"), "changes": changes, "event": data}


def task_history(reader: TaskReader, views: TaskViews, public: PublicEvents, task_id: UUID, *, after: int = 0,
                 limit: int | None = None) -> dict[str, Any]:
    latest = reader.latest_version(task_id)
    if latest == 0 or after >= latest:
        raise TaskNotFound(task_id) if latest == 0 else NotRecorded(f"task {task_id} has {latest} versions", "after")
    upto = min(latest, after + limit) if limit else latest
    task: Task | None = reader.task_at(task_id, after) if after else None
    before = views.facts(task) if task is not None else {}
    entries = []
    for event in reader.history(task_id, after, upto):
        task = cast("Task", event.mutate(task))
        facts = views.facts(task)
        entries.append(entry(public.as_json(event, task), diff(before, facts)))
        before = facts
    return {"task_id": str(task_id), "latest_version": latest, "first_version": after + 1, "last_version": upto,
            "next_after": upto if upto < latest else None, "count": len(entries), "entries": entries}
