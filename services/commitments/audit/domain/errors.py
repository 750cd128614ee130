"""What the audit refuses to answer, and why; the API turns each into a problem naming the field at fault."""

from __future__ import annotations

from uuid import UUID


class AuditError(Exception):
    """An audit question that has no honest answer now; `field` names the request's part at fault."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class NotRecorded(AuditError, LookupError):
    """The store holds no such version (or nothing in the scope asked)."""


class ExportRefused(AuditError):
    """No bundle can be made honestly now (no checkpoint yet, or the log no longer matches it)."""

    field = "scope"


class ForgedRecord(AuditError):
    """A stored row the audit was about to show carries no valid service signature."""

    field = "task_id"

    def __init__(self, originator_id: UUID, version: int) -> None:
        super().__init__(f"task {originator_id} version {version}: the stored row carries no valid signature of "
                         "the commitments service; run `camket audit verify`")
        self.originator_id, self.version = originator_id, version
