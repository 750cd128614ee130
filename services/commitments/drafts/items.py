"""Pure rules of a draft's items: made from the importer's output, checked field by field against
what `RegisterTask` will accept (the same domain parsers), corrected, dropped, merged."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from commitments.domain.deadlines import parse_deadline
from commitments.domain.errors import InvalidValue
from commitments.domain.targets import RATE_PERIODS, Target, TargetKind
from commitments.drafts.model import DraftItem, DraftRefused, ItemTarget, Span
from commitments.importer import Draft
from shared.catalog import Organisation

EDITABLE = ("unit", "cooperating_units", "title", "target", "deadline", "legal_basis", "dropped")


def items_of(draft: Draft) -> tuple[DraftItem, ...]:
    return tuple(DraftItem(
        item_id=n, unit=t.unit, cooperating_units=t.cooperating_units, title=t.title,
        target=ItemTarget(t.target.kind, t.target.minimum, t.target.maximum, t.target.measure or "",
                          t.target.text or ""),
        deadline_text=t.deadline.text, legal_basis=t.legal_basis, section=t.section, confidence=t.confidence,
        doubts=t.doubts, spans=(Span(t.source.start, t.source.end),)) for n, t in enumerate(draft.tasks, start=1))


def domain_target(target: ItemTarget, field: str = "target") -> Target:
    """The domain's Target for these fields, or DraftRefused naming the field (target.minimum, …)."""
    measure, _, per = target.measure.rpartition("/")
    if not measure or per not in RATE_PERIODS:  # "cuộc/năm" carries its rate period; "km/h" does not
        measure, per = target.measure, ""
    try:
        kind = TargetKind(target.kind)
    except ValueError:
        raise DraftRefused(f"unknown target kind {target.kind!r}", f"{field}.kind") from None
    try:
        return Target(kind=kind, text=target.text, measure=measure.strip(), minimum=target.minimum,
                      maximum=target.maximum, per=per or None)
    except InvalidValue as error:
        raise DraftRefused(error.message, (error.field or "target").replace("target", field, 1)) from None


def deadline_end(text: str | None, year: int) -> datetime | None:
    """The deadline's effective end in the program year; None when the wording is not understood."""
    try:
        return parse_deadline(text, year).effective_end(year)
    except (InvalidValue, OverflowError):
        return None


def check_deadline(text: str | None, year: int) -> None:
    try:
        parse_deadline(text, year).effective_end(year)
    except InvalidValue as error:
        raise DraftRefused(error.message, "deadline") from None
    except OverflowError:
        raise DraftRefused(f"the deadline {text!r} is out of range", "deadline") from None


def check_units(org: Organisation, unit: str | None, cooperating: tuple[str, ...]) -> None:
    owners = {u.code for u in org.task_owners}
    if unit is not None and unit not in owners:
        raise DraftRefused(f"{unit!r} is not a unit of {org.short_name}", "unit")
    for n, code in enumerate(cooperating):
        if org.unit(code) is None:
            raise DraftRefused(f"{code!r} is not a unit of {org.short_name}", f"cooperating_units[{n}]")


def edited(item: DraftItem, changes: dict[str, Any], org: Organisation, year: int) -> DraftItem:
    """The item with `changes` (already typed and text-checked by the API) applied, each checked."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DraftRefused(f"{sorted(unknown)[0]} cannot be changed", sorted(unknown)[0])
    values: dict[str, Any] = {}
    if "target" in changes:
        values["target"] = ItemTarget(**changes["target"])
        domain_target(values["target"])
    if "deadline" in changes:
        check_deadline(changes["deadline"], year)
        values["deadline_text"] = changes["deadline"] or None
    for name in ("cooperating_units", "legal_basis"):
        if name in changes:
            values[name] = tuple(dict.fromkeys(changes[name]))
    for name in ("unit", "title", "dropped"):
        if name in changes:
            values[name] = changes[name]
    check_units(org, values.get("unit", item.unit), values.get("cooperating_units", item.cooperating_units))
    content_changed = any(k != "dropped" for k in values)
    return replace(item, **values, edited=item.edited or content_changed)


def merged(into: DraftItem, other: DraftItem) -> DraftItem:
    """One task of two: the first's fields, the second's title appended, its target and deadline where
    the first has none, the units, documents and source spans of both."""
    vague = into.target.kind in (TargetKind.QUALITATIVE.value, TargetKind.MILESTONE.value)
    return replace(
        into, title=f"{into.title} {other.title}".strip(),
        target=other.target if vague and other.target.kind not in ("qualitative",) else into.target,
        deadline_text=into.deadline_text or other.deadline_text, unit=into.unit or other.unit,
        cooperating_units=tuple(dict.fromkeys(into.cooperating_units + other.cooperating_units)),
        legal_basis=tuple(dict.fromkeys(into.legal_basis + other.legal_basis)),
        spans=tuple(sorted(into.spans + other.spans, key=lambda s: s.start)),
        doubts=tuple(dict.fromkeys(into.doubts + other.doubts)), confidence=min(into.confidence, other.confidence),
        edited=True)
