"""The drafts API's bodies: the corrections it takes, the draft as JSON, and each kept item as the
`POST /api/v1/tasks` body it is registered with (checked by the same schema and translation)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, StringConstraints, ValidationError

from commitments.api import schemas as s
from commitments.api import translate as t
from commitments.application.commands import RegisterTask
from commitments.application.outcomes import Submission, fingerprint
from commitments.domain.errors import InvalidValue
from commitments.domain.targets import TargetKind
from commitments.drafts.items import deadline_end
from commitments.drafts.model import DraftItem, ProgramDraft
from shared.auth.tokens import Principal
from shared.problems import field_name
from shared.text import OneLine

Number = Annotated[float, Field(ge=0, le=1e12)]


class TargetEdit(s.Body):
    kind: Literal["at_least", "exactly", "range", "percentage", "milestone", "qualitative"]
    minimum: Number | None = None
    maximum: Number | None = None
    measure: Annotated[str, StringConstraints(max_length=200), OneLine] = ""
    text: Annotated[str, StringConstraints(max_length=500), OneLine] = ""


class ItemEdit(s.Body):
    """Any of the fields, each replacing the item's; `dropped: false` takes a dropped item back."""

    unit: s.Code | None = None
    cooperating_units: list[s.Code] = Field(default_factory=list, max_length=30)
    title: Annotated[str, StringConstraints(min_length=1, max_length=1000), OneLine] = ""
    target: TargetEdit | None = None
    deadline: s.Deadline | None = Field(default=None, description="As written: 'Quý III/2026', 'Thường xuyên'.")
    legal_basis: list[s.Line] = Field(default_factory=list, max_length=20)
    dropped: bool = False


class MergeIn(s.Body):
    into: int = Field(ge=1, description="The item that stays (its fields win).")
    item: int = Field(ge=1, description="The item merged into it (its title is appended, then it is gone).")


def ref_of(draft: ProgramDraft, item: DraftItem) -> str:
    """Stable: the same item of the same draft is the same task (task ids derive from the ref)."""
    return f"TB{draft.program_year % 100:02d}-{draft.draft_id.hex[:6].upper()}-{item.item_id:02d}"


def command_id(draft_id: UUID, item: DraftItem) -> str:
    """The registration's idempotency key: the draft and the item, whoever accepts and however often."""
    return f"program-draft:{draft_id}:{item.item_id}"


def submissions(draft: ProgramDraft, made: list[tuple[DraftItem, RegisterTask, dict[str, Any]]],
                principal: Principal) -> list[Submission]:
    """The registrations as the batcher takes them, each under its item's key, `principal` the actor."""
    path = f"/api/v1/program-drafts/{draft.draft_id}/acceptance"
    return [Submission(command=command, principal=principal, command_id=command_id(draft.draft_id, item),
                       fingerprint=fingerprint({"path": path, "item_id": item.item_id, "body": body}))
            for item, command, body in made]


def registration(draft: ProgramDraft, item: DraftItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "program_year": draft.program_year, "ref": ref_of(draft, item), "unit": item.unit, "title": item.title,
        "deadline": item.deadline_text, "cooperating_units": [c for c in item.cooperating_units if c != item.unit],
        "legal_basis": list(item.legal_basis)}
    target = item.target
    if target.kind == TargetKind.MILESTONE.value:
        body["milestone"] = target.text or item.title  # what "done" means: the notice's own words
    elif target.kind != TargetKind.QUALITATIVE.value or target.text:
        measure, _, per = target.measure.rpartition("/")
        rated = bool(measure) and per in ("năm", "quý", "tháng", "tuần")
        body["target"] = {"kind": target.kind, "minimum": target.minimum, "maximum": target.maximum,
                          "measure": measure if rated else target.measure, "per": per if rated else None,
                          "text": target.text}
    return body


def commands(draft: ProgramDraft, org: str) -> tuple[list[tuple[DraftItem, RegisterTask, dict[str, Any]]],
                                                     list[dict[str, str]]]:
    """Each kept item's RegisterTask, or every refusal (`items[3].unit`, …) — all of them, so the
    reviewer sees at once what blocks acceptance."""
    made, errors = [], []
    for item in draft.kept:
        body = registration(draft, item)
        where = f"items[{item.item_id}]"
        if item.unit is None:
            errors.append({"field": f"{where}.unit", "message": f"item {item.item_id}: no lead unit (unit)"})
            continue
        try:
            made.append((item, t.register(s.TaskCreate.model_validate(body), org), body))
        except ValidationError as error:
            errors += [{"field": f"{where}.{field_name(tuple(e['loc']))}",
                        "message": f"item {item.item_id}: {field_name(tuple(e['loc']))}: {e['msg']}"}
                       for e in error.errors()]
        except InvalidValue as error:
            errors.append({"field": f"{where}.{error.field or 'target'}",
                           "message": f"item {item.item_id}: {error.field}: {error.message}"})
    return made, errors


def item_json(draft: ProgramDraft, item: DraftItem) -> dict[str, Any]:
    target = item.target
    ends = deadline_end(item.deadline_text, draft.program_year)
    return {
        "item_id": item.item_id, "ref": ref_of(draft, item), "unit": item.unit,
        "cooperating_units": list(item.cooperating_units), "title": item.title,
        "target": {"kind": target.kind, "minimum": target.minimum, "maximum": target.maximum,
                   "measure": target.measure or None, "text": target.text or None},
        "deadline": {"text": item.deadline_text, "ends_at": ends.isoformat() if ends else None},
        "legal_basis": list(item.legal_basis), "section": item.section, "confidence": item.confidence,
        "doubts": list(item.doubts), "dropped": item.dropped, "edited": item.edited,
        "source": [{"start": sp.start, "end": sp.end, "text": draft.source_text[sp.start:sp.end]}
                   for sp in item.spans]}


def draft_json(draft: ProgramDraft, *, full: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "draft_id": str(draft.draft_id), "program_year": draft.program_year, "status": draft.status,
        "version": draft.version, "source_name": draft.source_name, "created_by": draft.created_by,
        "created_at": draft.created_at.isoformat(), "items_total": len(draft.items),
        "items_kept": len(draft.kept), "results": list(draft.results)}
    if full:
        body["source_text"] = draft.source_text
        body["items"] = [item_json(draft, i) for i in draft.items]
    return body

