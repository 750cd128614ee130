"""Rows that commit in the same transaction as the events they belong to.

- A command record remembers each command's first answer, so a retried command (same
  Idempotency-Key) returns that answer and records nothing new. It commits with the command's
  events, so there is never an answer without its events, nor events without their answer.
- A task summary is the write side's own index of tasks for listing and filtering (year, unit,
  lifecycle); it is updated inline with the events, so a list never lags behind a write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from commitments.application.outcomes import OutcomeKind


@dataclass(frozen=True)
class CommandRecord:
    command_id: str  # "<user id>:<Idempotency-Key>", or a generated id when the client sent none
    fingerprint: str  # hash of what was asked (method, path, body): the same key with another body is refused
    kind: OutcomeKind  # created / ok: the API says it as an HTTP status
    response: dict[str, Any]
    task_id: UUID | None
    recorded_at: datetime
    first_version: int | None = None  # the task versions this command recorded
    last_version: int | None = None
    traceparent: str | None = None  # W3C trace context of the request, for the publisher's span


@dataclass(frozen=True)
class TaskSummary:
    task_id: UUID
    org: str
    program_year: int
    unit: str
    ref: str
    lifecycle: str
    version: int
    due_at: datetime
    started: bool
    completed_on: date | None
    view: dict[str, Any]  # the task's current state as the API shows it (without the calendar-dependent status)

