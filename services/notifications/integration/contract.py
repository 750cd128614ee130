"""Version 1 of the public alert, as published on `<prefix>.v1.<org>.alerts.<unit>.<rule>` (stream
<PREFIX>_ALERTS) and POSTed to webhooks: CloudEvents binary mode, the data is this model as JSON.

Frozen; additive changes only, like the task events.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from notifications.domain.alerts import Alert
from shared.envelope import CloudEvent

SeverityV1 = Literal["info", "warning", "critical"]


class RecipientV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    role: str
    unit: str


class AlertV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    alert_id: UUID = Field(description="Stable: also the CloudEvents id and Nats-Msg-Id.")
    org: str
    rule: str = Field(description="e.g. 'deadline_approaching', 'overdue', 'target_lowered'.")
    key: str = Field(description="With the rule and the task, what makes the alert unique (e.g. the deadline).")
    task_id: UUID
    task_ref: str
    program_year: int
    unit: str = Field(description="The unit that carries the task.")
    recipients: list[RecipientV1]
    severity: SeverityV1
    message: str = Field(description="In Vietnamese, dates dd/mm/yyyy.")
    detail: dict[str, Any]
    boundary_at: AwareDatetime = Field(description="When the condition became true (UTC).")
    fired_at: AwareDatetime = Field(description="When the service fired the alert (UTC).")


def alert_v1(a: Alert) -> AlertV1:
    """The public form of an alert (as stored: its detail is what JSON made of it)."""
    return AlertV1(alert_id=a.id, org=a.org, rule=a.rule.value, key=a.key, task_id=a.task_id, task_ref=a.task_ref,
                   program_year=a.program_year, unit=a.unit,
                   recipients=[RecipientV1(role=r.role, unit=r.unit) for r in a.recipients],
                   severity=a.severity.value, message=a.message, detail=a.detail, boundary_at=a.boundary_at,
                   fired_at=a.fired_at)


def alert_type(rule: str, version: int = 1) -> str:
    """ce-type of an alert, e.g. 'vn.camket.alert.overdue.v1'."""
    return f"vn.camket.alert.{rule}.v{version}"


def alert_source(org: str) -> str:
    return f"/camket/{org}/notifications"


def alert_envelope(alert: AlertV1, traceparent: str | None = None) -> CloudEvent:
    return CloudEvent(id=str(alert.alert_id), source=alert_source(alert.org), type=alert_type(alert.rule),
                      time=alert.fired_at, subject=str(alert.task_id), data=alert.model_dump_json().encode(),
                      dataschema=f"urn:camket:schema:alert:{alert.rule}:v1", traceparent=traceparent)
