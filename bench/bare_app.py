"""The baseline endpoint: FastAPI validating the same progress-report body as the service, writing nothing."""

from __future__ import annotations

from uuid import UUID

from fastapi import FastAPI

from commitments.api.schemas import ProgressReportCreate

app = FastAPI()


@app.post("/api/v1/tasks/{task_id}/progress-reports")
async def report(task_id: UUID, body: ProgressReportCreate) -> dict[str, str]:
    return {"task_id": str(task_id), "period": body.period}
