"""Alerts: listed (newest first, as the principal may see them), read one by one, acknowledged."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from notifications.api.deps import ContainerDep, PrincipalDep
from notifications.api.problems import Forbidden, NotFound
from notifications.api.schemas import AlertQuery
from notifications.application.alert_queries import AlertFilter, NotAllowed
from notifications.application.ports import StoredAlert
from notifications.integration.contract import alert_v1

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])


def view(s: StoredAlert) -> dict[str, Any]:
    """The public alert (contract v1) and where it stands here: its place, published, acknowledged."""
    return alert_v1(s.alert).model_dump(mode="json") | {
        "seq": s.seq, "published": s.published,
        "acknowledged_at": s.acknowledged_at.isoformat() if s.acknowledged_at else None,
        "acknowledged_by": s.acknowledged_by, "acknowledged_by_name": s.acknowledged_by_name}


@router.get("", summary="Alerts, newest first; page with ?before=<seq of the last one>")
async def list_alerts(container: ContainerDep, principal: PrincipalDep,
                      query: Annotated[AlertQuery, Query()]) -> dict[str, Any]:
    wanted = AlertFilter(unit=query.unit, rule=query.rule.value if query.rule else None, task_id=query.task_id,
                         severity=query.severity.value if query.severity else None,
                         program_year=query.program_year, acknowledged=query.acknowledged, before=query.before)
    rows = [view(s) for s in await container.alert_queries.find(principal, wanted, query.limit)]
    return {"count": len(rows), "alerts": rows,
            "next_before": rows[-1]["seq"] if len(rows) == query.limit else None}


@router.get("/{alert_id}", summary="One alert")
async def get_alert(alert_id: UUID, container: ContainerDep, principal: PrincipalDep) -> dict[str, Any]:
    found = await container.alert_queries.get(principal, alert_id)
    if found is None:
        raise NotFound(f"no alert {alert_id} that you may see", "alert_id")
    return view(found)


@router.post("/{alert_id}/ack", summary="Acknowledge an alert (the first acknowledgement stands)")
async def acknowledge(alert_id: UUID, container: ContainerDep, principal: PrincipalDep) -> dict[str, Any]:
    try:
        found = await container.alert_queries.acknowledge(principal, alert_id)
    except NotAllowed as error:
        raise Forbidden(str(error)) from None
    if found is None:
        raise NotFound(f"no alert {alert_id} that you may see", "alert_id")
    return view(found)
