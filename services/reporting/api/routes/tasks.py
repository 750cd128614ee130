"""Tasks: their status now (or on a past day), and one task's history and progress chart."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from reporting.api.deps import AsOfDep, NowDep, OrgDep, PrincipalDep, ReadsDep, Year
from reporting.application import queries
from reporting.application.views import TaskDetail, TaskView
from reporting.domain.pace import Pace
from shared.status import TaskStatus
from shared.text import SafeLine

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


@router.get("", response_model=list[TaskView])
async def list_tasks(*, _: PrincipalDep, reads: ReadsDep, org: OrgDep, now: NowDep, as_of: AsOfDep, year: Year = None,
                     unit: Annotated[SafeLine | None, Query(max_length=64)] = None,
                     status: TaskStatus | None = None, pace: Pace | None = None,
                     q: Annotated[SafeLine | None, Query(max_length=200, description="Search in reference and title, "
                                                                                "accents ignored")] = None,
                     ) -> list[TaskView]:
    """Every task with its Vietnamese status and pace, filtered by year, unit, status, pace or text."""
    return await queries.task_list(reads, org, now=now, year=year, unit=unit, status=status, pace=pace, search=q,
                                   as_of=as_of)


@router.get("/{task_id}", response_model=TaskDetail)
async def get_task(*, task_id: UUID, _: PrincipalDep, reads: ReadsDep, org: OrgDep, now: NowDep) -> TaskDetail:
    """One task now, with its whole history, progress chart points and revisions."""
    return await queries.task_detail(reads, org, task_id, now=now)
