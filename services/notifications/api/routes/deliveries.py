"""Deliveries and the dead letters: what was sent where, what failed, and putting it back."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from notifications.api.deps import ContainerDep, OfficeDep
from notifications.api.schemas import RetryIn

router = APIRouter(prefix="/api/v1/deliveries", tags=["deliveries"])
Status = Literal["pending", "delivered", "dead", "cancelled"]


@router.get("", summary="Deliveries, newest first; ?status=dead lists the dead letters")
async def list_deliveries(container: ContainerDep, _: OfficeDep, status: Status | None = None,
                          ref_id: Annotated[UUID | None, Query(description="An alert's or briefing's id")] = None,
                          limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    rows = await container.admin.deliveries(status, ref_id, limit)
    return {"count": len(rows), "deliveries": rows}


@router.post("/retry", summary="Put dead letters back in the queue with a fresh count of attempts")
async def retry(body: RetryIn, container: ContainerDep, _: OfficeDep) -> dict[str, int]:
    requeued = await container.admin.retry(body.ids)
    container.signals.deliveries.set()
    return {"requeued": requeued}
