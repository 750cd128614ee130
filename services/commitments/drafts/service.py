"""The drafts' use cases: upload a notice into a draft, read it, correct, drop or merge its items,
discard it, and the two steps around acceptance (frozen first, so that a retry sends the same
registrations; accepted once every item is registered). Registration itself is the API's: it goes
through the command path like any `POST /tasks`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath
from typing import Any
from uuid import UUID, uuid4

from commitments.domain.clock import Clock, system_clock
from commitments.domain.errors import InvalidValue
from commitments.drafts import items as rules
from commitments.drafts.model import ACCEPTED, ACCEPTING, OPEN, DraftNotFound, DraftRefused, DraftStale, ProgramDraft
from commitments.drafts.store import DraftStore
from commitments.importer import import_text, read_notice_bytes
from shared.catalog import organisation
from shared.text import UnsafeText, clean_long

MAX_NOTICE_BYTES = 10 * 1024 * 1024  # a notice's .docx or .pdf is well under 1 MB; a scan is no notice
SUFFIXES = (".txt", ".docx", ".pdf")


class DraftService:
    def __init__(self, store: DraftStore, org: str, clock: Clock = system_clock) -> None:
        self.store, self.org, self.clock = store, org, clock

    def create(self, name: str, data: bytes, program_year: int, user_id: str) -> ProgramDraft:
        if PurePath(name).suffix.lower() not in SUFFIXES:
            raise DraftRefused("the notice must be a .txt, .docx or .pdf file", "file", status=415)
        if not data:
            raise DraftRefused("the file is empty", "file")
        if len(data) > MAX_NOTICE_BYTES:
            raise DraftRefused(f"the notice must be at most {MAX_NOTICE_BYTES} bytes", "file", status=413)
        try:
            text = clean_long(read_notice_bytes(data, name).replace("\f", "\n").replace("\v", "\n"))
        except InvalidValue as error:
            raise DraftRefused(error.message, "file") from None
        except UnsafeText as error:
            raise DraftRefused(f"the notice's text: {error}", "file") from None
        draft = import_text(text, program_year, organisation(self.org))
        if not draft.tasks:
            raise DraftRefused("no task of a work program was found in this file", "file")
        made = ProgramDraft(draft_id=uuid4(), org=self.org, program_year=program_year, source_name=name,
                            source_text=draft.text, items=rules.items_of(draft), created_by=user_id,
                            created_at=self.clock())
        self.store.add(made)
        return made

    def get(self, draft_id: UUID) -> ProgramDraft:
        draft = self.store.get(self.org, draft_id)
        if draft is None:
            raise DraftNotFound(draft_id)
        return draft

    def every(self) -> list[ProgramDraft]:
        return self.store.every(self.org)

    def change_item(self, draft_id: UUID, item_id: int, changes: dict[str, Any], expected: int | None
                    ) -> ProgramDraft:
        draft = self._open(draft_id, expected)
        item = rules.edited(draft.item(item_id), changes, organisation(self.org), draft.program_year)
        return self._save(draft, tuple(item if i.item_id == item_id else i for i in draft.items))

    def merge(self, draft_id: UUID, into: int, other: int, expected: int | None) -> ProgramDraft:
        draft = self._open(draft_id, expected)
        if into == other:
            raise DraftRefused("merge two different items", "item")
        first, second = draft.item(into), draft.item(other)
        together = rules.merged(first, second)
        return self._save(draft, tuple(together if i.item_id == into else i for i in draft.items
                                       if i.item_id != other))

    def discard(self, draft_id: UUID) -> None:
        draft = self.get(draft_id)
        if draft.status == ACCEPTING:  # half registered: finishing it is the only way that leaves no orphan
            raise DraftRefused("the draft's acceptance is under way; accept it again to finish", "draft_id",
                               status=409)
        self.store.delete(self.org, draft_id)

    def freeze(self, draft_id: UUID, expected: int | None) -> ProgramDraft:
        """The draft as it will be registered: no edit after this, so a retried acceptance sends the
        very same registrations (their idempotency records then answer them)."""
        draft = self.get(draft_id)
        if draft.status != OPEN:
            return draft
        self._check_version(draft, expected)
        if not draft.kept:
            raise DraftRefused("every item is dropped: nothing to register", "items")
        return self.store.save(replace(draft, status=ACCEPTING), draft.version)

    def accepted(self, draft: ProgramDraft, results: list[dict[str, Any]]) -> ProgramDraft:
        if draft.status == ACCEPTED:
            return draft
        return self.store.save(replace(draft, status=ACCEPTED, results=tuple(results)), draft.version)

    def _open(self, draft_id: UUID, expected: int | None) -> ProgramDraft:
        draft = self.get(draft_id)
        if draft.status != OPEN:
            raise DraftRefused(f"the draft is {draft.status}: it can no longer be changed", "draft_id", status=409)
        self._check_version(draft, expected)
        return draft

    @staticmethod
    def _check_version(draft: ProgramDraft, expected: int | None) -> None:
        if expected is not None and expected != draft.version:
            raise DraftStale(expected, draft.version)

    def _save(self, draft: ProgramDraft, items: tuple[Any, ...]) -> ProgramDraft:
        return self.store.save(replace(draft, items=items), draft.version)
