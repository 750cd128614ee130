"""The importer's output: draft tasks, typed, for the CLI and for a review screen to correct."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SourceSpan:
    start: int  # offsets into the text the importer read (after NFC), end exclusive
    end: int
    text: str


@dataclass(frozen=True)
class DraftTarget:
    kind: str  # the domain's TargetKind values: at_least, exactly, range, percentage, milestone, qualitative
    value: float | None = None  # the threshold: the number at which the commitment is met
    minimum: float | None = None
    maximum: float | None = None
    measure: str | None = None
    text: str | None = None  # the wording as written


@dataclass(frozen=True)
class DraftDeadline:
    text: str | None  # as written; None when the notice gives none
    ends_at: datetime | None  # effective end in the program year (UTC); None when the wording is not understood


@dataclass(frozen=True)
class DraftTask:
    unit: str | None  # unit code from the catalogue; None when the heading names no known unit
    section: str  # the heading the task sits under, as written
    cooperating_units: tuple[str, ...]
    title: str
    target: DraftTarget
    deadline: DraftDeadline
    legal_basis: tuple[str, ...]
    confidence: float
    source: SourceSpan
    doubts: tuple[str, ...] = field(default=())  # why confidence is below 1, for the reviewer

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["cooperating_units"] = list(self.cooperating_units)
        data["legal_basis"] = list(self.legal_basis)
        data["doubts"] = list(self.doubts)
        ends = self.deadline.ends_at
        data["deadline"] = {"text": self.deadline.text, "ends_at": ends.isoformat() if ends else None}
        return data


@dataclass(frozen=True)
class Draft:
    year: int
    text: str
    tasks: tuple[DraftTask, ...]

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "tasks": [t.to_json() for t in self.tasks]}
