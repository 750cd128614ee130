"""The weekly and monthly briefings ("trực báo tuần, tháng"): those composed, and a preview."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from notifications.api.deps import ContainerDep, OfficeOrBoardDep
from notifications.domain.briefing_periods import BriefingKind

router = APIRouter(prefix="/api/v1/briefings", tags=["briefings"])


@router.get("", summary="Briefings composed and queued for e-mail, newest first")
async def list_briefings(container: ContainerDep, _: OfficeOrBoardDep,
                         limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
    rows = await container.briefings.recent(limit)
    return {"count": len(rows), "briefings": [{**r, "id": str(r["id"]), "composed_at": r["composed_at"].isoformat()}
                                              for r in rows]}


@router.get("/preview", summary="The latest period's briefing as it reads now (not stored, not sent)")
async def preview(container: ContainerDep, _: OfficeOrBoardDep, kind: BriefingKind = BriefingKind.WEEKLY
                  ) -> dict[str, Any]:
    briefing = await container.briefings.preview(kind)
    return {"kind": briefing.kind.value, "period": briefing.period, "subject": briefing.subject,
            "body": briefing.body}
