"""The commitments service's errors as problem details (the common handlers are shared.problems')."""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI

from commitments.application.background import WriterBusy, WriterTimeout
from commitments.application.outcomes import IdempotencyMismatch, StoreUnavailable
from commitments.application.permissions import Forbidden
from commitments.domain.errors import DomainError, InvalidState, InvalidValue, TaskNotFound, VersionConflict
from commitments.evidence.model import EvidenceCorrupted, EvidenceMissing, EvidenceRefused
from shared import problems
from shared.problems import problem

__all__ = ["BadRequest", "install", "problem"]


class BadRequest(Exception):
    """Malformed input outside the body model: a header, a query parameter."""

    def __init__(self, message: str, field: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


def install(app: FastAPI) -> None:
    problems.install(app, {
        BadRequest: lambda e: problem(e.status, "Bad request", e.message, field=e.field),
        Forbidden: lambda e: problem(403, "Forbidden", e.message),
        TaskNotFound: lambda e: problem(404, "Task not found", e.message, field=e.field),
        VersionConflict: lambda e: problem(409, "Version conflict", e.message, field="If-Match",
                                           current_version=e.current, headers={"ETag": f'"{e.current}"'}),
        InvalidState: lambda e: problem(409, "Not allowed in the task's state", e.message, field=e.field),
        InvalidValue: lambda e: problem(422, "Invalid value", e.message, field=e.field),
        DomainError: lambda e: problem(422, "Refused", e.message, field=e.field),
        IdempotencyMismatch: lambda e: problem(422, "Idempotency key reused", str(e), field="Idempotency-Key"),
        EvidenceRefused: lambda e: problem(e.status, "Evidence file refused", e.message, field=e.field),
        EvidenceMissing: lambda e: problem(404, "Evidence file not found", str(e), field="sha256"),
        EvidenceCorrupted: problems.unavailable("Evidence file", "the stored bytes fail their hash check; "
                                                "the operator has been told"),
        StoreUnavailable: problems.unavailable("Event store", "nothing was recorded; retry"),
        WriterBusy: lambda e: problem(429, "Too many commands waiting", str(e),
                                      headers={"Retry-After": str(e.retry_after)}),
        WriterTimeout: lambda e: problem(503, "Writer did not answer in time", str(e), recorded=e.recorded,
                                         headers={"Retry-After": "2"}),
        PersistenceError: problems.unavailable("Event store", "the store did not answer; retry"),
    })
