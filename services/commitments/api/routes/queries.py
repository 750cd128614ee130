"""Read routes: a task now and the program's list. Every role may read. A task as it was and its history
are the audit's views (api/routes/audit.py): one implementation each, read by the Inspectorate and the Board."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from commitments.api.deps import ContainerDep, PrincipalDep
from shared.status import TaskStatus

router = APIRouter(prefix="/api/v1/tasks", tags=["queries"])


@router.get("", summary="List tasks by program year, unit and status")
async def list_tasks(container: ContainerDep, _: PrincipalDep,
                     program_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                     unit: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] = None,
                     status: TaskStatus | None = None) -> dict[str, Any]:
    now = container.clock()
    tasks = await run_in_threadpool(container.app.list_tasks, container.settings.org, now,
                                    program_year=program_year, unit=unit, status=status.value if status else None)
    return {"count": len(tasks), "as_of": now.isoformat(), "tasks": tasks}


@router.get("/{task_id}", summary="A task's current state (as it stood at a past instant: the audit's "
            "GET /api/v1/audit/tasks/{task_id}/as-of)")
async def get_task(task_id: UUID, response: Response, container: ContainerDep, _: PrincipalDep) -> dict[str, Any]:
    view = await run_in_threadpool(container.app.task_view, task_id, container.clock())
    response.headers["ETag"] = f'"{view["version"]}"'
    return view
