"""Read routes: a task now or as it was, its history, and the program's list. Every role may read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from commitments.api.deps import ContainerDep, PrincipalDep
from shared.contracts.v1 import TaskEventV1
from shared.instants import utc_instant
from shared.status import TaskStatus

router = APIRouter(prefix="/api/v1/tasks", tags=["queries"])


def _instant(value: datetime | None, field: str) -> datetime | None:
    return utc_instant(value, field) if value is not None else None


@router.get("", summary="List tasks by program year, unit and status")
async def list_tasks(container: ContainerDep, _: PrincipalDep,
                     program_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                     unit: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] = None,
                     status: TaskStatus | None = None) -> dict[str, Any]:
    now = container.clock()
    tasks = await run_in_threadpool(container.app.list_tasks, container.settings.org, now,
                                    program_year=program_year, unit=unit, status=status.value if status else None)
    return {"count": len(tasks), "as_of": now.isoformat(), "tasks": tasks}


@router.get("/{task_id}", summary="A task's current state, or as recorded at ?as_of=")
async def get_task(task_id: UUID, response: Response, container: ContainerDep, _: PrincipalDep,
                   as_of: Annotated[datetime | None, Query(description="ISO 8601 instant with offset")] = None
                   ) -> dict[str, Any]:
    instant = _instant(as_of, "as_of")
    if instant is None:
        view = await run_in_threadpool(container.app.task_view, task_id, container.clock())
        response.headers["ETag"] = f'"{view["version"]}"'
        return view
    view = await run_in_threadpool(container.app.task_view_as_of, task_id, instant)
    return view | {"as_of": instant.isoformat()}


@router.get("/{task_id}/history", summary="Every change to the task: actor, recorded time, reason, version")
async def history(task_id: UUID, container: ContainerDep, _: PrincipalDep) -> dict[str, Any]:
    events: list[TaskEventV1] = await run_in_threadpool(container.app.history, task_id)
    return {"task_id": str(task_id), "count": len(events), "events": [e.model_dump(mode="json") for e in events]}
