"""An alert: a firing of a rule for a task, addressed to roles in units, with its Vietnamese text.

Its id is derived from (organisation, rule, task, key), so every replica and every retry computes
the same id for the same alert and the store's unique key makes it fire once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from notifications.domain.facts import TaskFacts
from notifications.domain.messages import message
from notifications.domain.rules import Firing, Rule, Severity
from shared.catalog import Organisation

ALERT_ID_NAMESPACE = uuid5(NAMESPACE_URL, "urn:camket:alert")
UNIT_ROLES = ("unit_head", "unit_staff")


@dataclass(frozen=True, order=True)
class Recipient:
    role: str
    unit: str


@dataclass(frozen=True)
class Alert:
    id: UUID
    org: str
    rule: Rule
    key: str
    task_id: UUID
    task_ref: str
    program_year: int
    unit: str
    recipients: tuple[Recipient, ...]
    severity: Severity
    message: str
    boundary_at: datetime
    fired_at: datetime
    detail: dict[str, Any]


def alert_id(org: str, rule: str, task_id: UUID, key: str) -> UUID:
    return uuid5(ALERT_ID_NAMESPACE, f"{org}/{rule}/{task_id}/{key}")


def build_alert(firing: Firing, facts: TaskFacts, org: Organisation, fired_at: datetime) -> Alert:
    return Alert(id=alert_id(facts.org, firing.rule, facts.task_id, firing.key), org=facts.org, rule=firing.rule,
                 key=firing.key, task_id=facts.task_id, task_ref=facts.ref, program_year=facts.program_year,
                 unit=facts.unit, recipients=recipients_for(firing, facts, org), severity=firing.severity,
                 message=message(firing, facts, org), boundary_at=firing.boundary_at, fired_at=fired_at,
                 detail=firing.detail)


def recipients_for(firing: Firing, facts: TaskFacts, org: Organisation) -> tuple[Recipient, ...]:
    """Who must know: the unit that carries the task, and the Office, Board or Inspectorate as the
    rule concerns them (a lowered target or a later deadline is the Board's and the Inspectorate's)."""
    office, board, inspector = _overseers(org)
    unit = [Recipient(role, facts.unit) for role in UNIT_ROLES]
    match firing.rule:
        case Rule.DEADLINE_APPROACHING | Rule.NO_PROGRESS | Rule.BEHIND_PACE | Rule.TASK_CANCELLED:
            chosen = [*unit, Recipient("office", office)]
        case Rule.OVERDUE:
            chosen = [*unit, Recipient("office", office), Recipient("board", board)]
        case Rule.COMPLETION_WAITING:
            chosen = [Recipient("board", board), Recipient("office", office)]
        case Rule.TARGET_LOWERED | Rule.DEADLINE_EXTENDED:
            chosen = [Recipient("board", board), Recipient("inspector", inspector)]
        case Rule.TASK_REASSIGNED:
            units = (firing.detail["from_unit"], firing.detail["to_unit"])
            chosen = [*(Recipient(role, u) for u in units for role in UNIT_ROLES), Recipient("office", office)]
    return tuple(sorted(set(chosen)))


@cache
def _overseers(org: Organisation) -> tuple[str, str, str]:
    """The codes of the Office, the Board and the Inspectorate in this organisation's catalogue."""
    office, board, inspector = (next((u.code for u in org.units if u.kind == kind), kind)
                                for kind in ("office", "board", "inspectorate"))
    return office, board, inspector
