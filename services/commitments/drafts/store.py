"""Where drafts are kept: the interface the service needs, and an in-memory adapter (tests, `camket
program import` dry runs). The PostgreSQL adapter is `postgres_store.py`."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Protocol
from uuid import UUID

from commitments.drafts.model import DraftStale, ProgramDraft


class DraftStore(Protocol):
    def add(self, draft: ProgramDraft) -> None: ...

    def get(self, org: str, draft_id: UUID) -> ProgramDraft | None: ...

    def every(self, org: str) -> list[ProgramDraft]: ...  # newest first

    def save(self, draft: ProgramDraft, expected_version: int) -> ProgramDraft:
        """Stores `draft` at version expected + 1 if the stored one is still at `expected_version`;
        DraftStale otherwise."""
        ...

    def delete(self, org: str, draft_id: UUID) -> bool: ...

    def close(self) -> None: ...


class MemoryDraftStore:
    def __init__(self) -> None:
        self._drafts: dict[UUID, ProgramDraft] = {}
        self._lock = threading.Lock()

    def add(self, draft: ProgramDraft) -> None:
        with self._lock:
            self._drafts[draft.draft_id] = draft

    def get(self, org: str, draft_id: UUID) -> ProgramDraft | None:
        found = self._drafts.get(draft_id)
        return found if found is not None and found.org == org else None

    def every(self, org: str) -> list[ProgramDraft]:
        return sorted((d for d in self._drafts.values() if d.org == org), key=lambda d: d.created_at, reverse=True)

    def save(self, draft: ProgramDraft, expected_version: int) -> ProgramDraft:
        with self._lock:
            current = self._drafts.get(draft.draft_id)
            if current is None or current.version != expected_version:
                raise DraftStale(expected_version, current.version if current else 0)
            stored = replace(draft, version=expected_version + 1)
            self._drafts[draft.draft_id] = stored
            return stored

    def delete(self, org: str, draft_id: UUID) -> bool:
        with self._lock:
            return self._drafts.pop(draft_id, None) is not None if self.get(org, draft_id) else False

    def close(self) -> None:
        pass
