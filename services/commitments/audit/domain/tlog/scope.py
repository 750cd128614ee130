"""What a transparency-log bundle covers: a task, a unit, a program year, or the whole program."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from commitments.audit.domain.tlog.entry import Entry

FORMAT = "camket.tlog.bundle/1"


@dataclass(frozen=True)
class TlogScope:
    kind: Literal["task", "unit", "year", "program"]
    task_id: UUID | None = None
    unit: str | None = None
    year: int | None = None

    def document(self) -> dict[str, Any]:
        if self.kind == "task":
            return {"kind": "task", "task_id": str(self.task_id)}
        if self.kind == "unit":
            return {"kind": "unit", "unit": self.unit}
        return {"kind": "year", "year": self.year} if self.kind == "year" else {"kind": "program"}

    def tasks(self, entries: list[Entry]) -> set[UUID] | None:
        """The tasks the scope holds (None: every event)."""
        if self.kind == "program":
            return None
        if self.kind == "task":
            return {self.task_id} if self.task_id else set()
        return {e.originator_id for e in entries if (e.unit == self.unit if self.kind == "unit" else
                                                    e.year == self.year)}
