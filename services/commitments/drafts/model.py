"""A program draft and its items, as the reviewer sees and corrects them, and why a change is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

OPEN, ACCEPTING, ACCEPTED = "open", "accepting", "accepted"  # accepting: registration under way (or interrupted)


@dataclass(frozen=True)
class Span:
    start: int  # offsets into the draft's source text, end exclusive
    end: int


@dataclass(frozen=True)
class ItemTarget:
    kind: str  # the domain's TargetKind values
    minimum: float | None = None
    maximum: float | None = None
    measure: str = ""  # with its rate period when there is one: "cuộc/năm"
    text: str = ""  # the wording as written


@dataclass(frozen=True)
class DraftItem:
    item_id: int  # stable within the draft: an item keeps its number through edits, drops and merges
    unit: str | None
    cooperating_units: tuple[str, ...]
    title: str
    target: ItemTarget
    deadline_text: str | None
    legal_basis: tuple[str, ...]
    section: str = ""
    confidence: float = 0.0
    doubts: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    dropped: bool = False
    edited: bool = False  # a reviewer changed it (its confidence is then the reviewer's)


@dataclass(frozen=True)
class ProgramDraft:
    draft_id: UUID
    org: str
    program_year: int
    source_name: str
    source_text: str
    items: tuple[DraftItem, ...]
    created_by: str  # the user id of the Office member who uploaded it
    created_at: datetime
    status: str = OPEN
    version: int = 1  # raised by every change; If-Match compares with it
    results: tuple[dict[str, Any], ...] = field(default=())  # per registered item: item_id, task_id, ref, version

    def item(self, item_id: int) -> DraftItem:
        found = next((i for i in self.items if i.item_id == item_id), None)
        if found is None:
            raise DraftRefused(f"the draft has no item {item_id}", "item_id", status=404)
        return found

    @property
    def kept(self) -> tuple[DraftItem, ...]:
        return tuple(i for i in self.items if not i.dropped)


class DraftRefused(Exception):
    """A change the draft does not take, naming the field at fault; nothing is written."""

    def __init__(self, message: str, field: str, status: int = 422,
                 errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.status = message, field, status
        self.errors = errors or [{"field": field, "message": message}]


class DraftNotFound(Exception):
    def __init__(self, draft_id: UUID) -> None:
        super().__init__(f"no open program draft {draft_id}")
        self.draft_id = draft_id


class DraftStale(Exception):
    """If-Match named an older version of the draft: another reviewer changed it meanwhile."""

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(f"the draft is at version {current}, not {expected}; reload it")
        self.expected, self.current = expected, current
