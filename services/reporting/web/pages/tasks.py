"""A task's page: its facts, target, deadline as written and its due date, status and pace, the
progress chart over time, and the full history of changes (actor, time, reason, approval)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from reporting.application.present import unit_name
from reporting.application.queries import task_detail
from reporting.application.views import TaskDetail
from reporting.domain.pace import RULE as PACE_RULE
from reporting.exports.event_tables import history_table, progress_table, revisions_table
from reporting.exports.tables import Table
from reporting.web import params
from reporting.web.context import ContextDep, PageContext
from reporting.web.errors import PageError, page_errors
from reporting.web.rendering import excel_response, render
from reporting.web.workspace.forms import FormState
from reporting.web.workspace.freshness import wait_for_version
from reporting.web.workspace.offer import task_forms

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class TaskPage:
    detail: TaskDetail
    cooperating: list[str]
    previous: list[str]
    tables: dict[str, Table]


async def load_task(task_id: str, ctx: ContextDep) -> TaskPage:
    try:
        parsed = UUID(params.text(task_id) or "")
    except ValueError:
        raise PageError(400, f"Mã nhiệm vụ không hợp lệ: “{task_id}”.", "task_id") from None
    with page_errors():
        detail = await task_detail(ctx.reads, ctx.org, parsed, now=ctx.now)
    task = detail.task
    tables = {"history": _titled(history_table(detail.history, lambda u: unit_name(ctx.org, u)), task.ref),
              "progress": _titled(progress_table(detail.chart), task.ref),
              "revisions": _titled(revisions_table(detail.revisions), task.ref)}
    return TaskPage(detail=detail, cooperating=[unit_name(ctx.org, u) for u in detail.cooperating_units],
                    previous=[unit_name(ctx.org, u) for u in task.previous_units], tables=tables)


def _titled(table: Table, ref: str) -> Table:
    """The task's reference in the title, so a downloaded workbook says whose history it is."""
    return Table(key=table.key, title=f"{table.title} — nhiệm vụ {ref}", columns=table.columns, rows=table.rows,
                 notes=table.notes, empty=table.empty, footer=table.footer, link_column=table.link_column)


TaskDep = Annotated[TaskPage, Depends(load_task)]


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
async def task_page(request: Request, task_id: str, ctx: ContextDep, v: int | None = None) -> HTMLResponse:
    """`v`: the version a command just answered (the form's redirect): the page waits, bounded, until
    the read model has it, and says "Đang cập nhật…" rather than show the older state as current."""
    if v is None:
        return await task_response(request, ctx, await load_task(task_id, ctx))

    async def load() -> TaskPage | None:
        try:
            return await load_task(task_id, ctx)
        except PageError as error:  # a task just registered: not in the read model yet
            if error.status != 404:
                raise
            return None

    bound = request.app.state.container.settings.read_your_writes_seconds
    page = await wait_for_version(load, lambda p: p.detail.task.version if p else 0, v, bound)
    if page is None:
        return render(request, "updating.html", ctx.viewer, status=202, here=f"/tasks/{task_id}?v={v}")
    return await task_response(request, ctx, page, awaited=v)


async def task_response(request: Request, ctx: PageContext, page: TaskPage, *, override: FormState | None = None,
                        status: int = 200, awaited: int | None = None) -> HTMLResponse:
    task = page.detail.task
    forms = await task_forms(request, ctx.viewer, task, override)
    return render(request, "task.html", ctx.viewer, status=status, page=page, task=task, pace_rule=PACE_RULE,
                  own=ctx.viewer.own_unit == task.unit, forms=forms,
                  updating=awaited is not None and task.version < awaited)


@router.get("/tasks/{task_id}/excel/{table}")
async def task_excel(table: str, ctx: ContextDep, page: TaskDep) -> Response:
    return excel_response(page.tables, table, ctx.org, ctx.now)
