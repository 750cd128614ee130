"""From blocks and chunks to draft tasks: units, target, deadline, documents, confidence, source span."""

from __future__ import annotations

import re

from commitments.domain.deadlines import parse_deadline
from commitments.domain.errors import InvalidValue
from commitments.domain.targets import TargetKind, parse_target
from commitments.importer.chunks import Chunk
from commitments.importer.draft import DraftDeadline, DraftTarget, DraftTask, SourceSpan
from commitments.importer.layout import plain
from commitments.importer.units import lead_named, partners
from commitments.importer.wording import cited_documents
from shared.catalog import Organisation

# A deliverable done or not ("Tham mưu dự thảo Kế hoạch…", "Tổ chức Hội thảo…"): a milestone, not a number.
_DELIVERABLE = re.compile(r"\b(?:dự thảo|ban hành|tổ chức hội thảo|tổ chức đoàn|xây dựng kế hoạch|trình ubnd|"
                          r"trình hđnd)\b", re.I)
_MONTH_WORD = re.compile(r"^tháng\s+(?=\d{1,2}/\d{4}$)", re.I)


def draft_target(wordings: tuple[tuple[int, int, str], ...], title: str) -> tuple[DraftTarget, list[str]]:
    doubts = [f"{len(wordings)} numbers: the first is taken"] if len(wordings) > 1 else []
    for _, _, wording in wordings[:1]:
        try:
            t = parse_target(wording)
        except InvalidValue as error:
            return DraftTarget(TargetKind.QUALITATIVE.value, text=wording), [*doubts, f"target: {error}"]
        measure = t.measure + (f"/{t.per}" if t.per else "")
        return DraftTarget(t.kind.value, t.threshold, t.minimum, t.maximum, measure or None, wording), doubts
    kind = TargetKind.MILESTONE if _DELIVERABLE.search(title) else TargetKind.QUALITATIVE
    return DraftTarget(kind.value), doubts


def draft_deadline(written: str | None, year: int) -> tuple[DraftDeadline, list[str]]:
    if not written:
        return DraftDeadline(None, parse_deadline(None).effective_end(year)), []
    written = _MONTH_WORD.sub("", written.strip())  # "tháng 6/2025" is written "6/2025", as the program does
    try:
        return DraftDeadline(written, parse_deadline(written, year).effective_end(year)), []
    except InvalidValue as error:
        return DraftDeadline(written, None), [f"deadline: {error}"]
    except OverflowError:  # "ngày 1/1/0001": before the calendar's first instant once shifted to UTC
        return DraftDeadline(written, None), [f"deadline: {written!r} is out of range"]


def draft_task(org: Organisation, text: str, work: str, chunk: Chunk, unit: str | None, heading: str, year: int,
               known: dict[str, str]) -> DraftTask:
    title = plain(text[chunk.start:chunk.end])
    lead = lead_named(org, title) or unit
    target, target_doubts = draft_target(chunk.targets, title)
    written = work[chunk.deadline[0]:chunk.deadline[1]] if chunk.deadline else None
    deadline, deadline_doubts = draft_deadline(" ".join(written.split()) if written else None, year)
    doubts = target_doubts + deadline_doubts + ([] if lead else [f"no unit of the catalogue in {heading!r}"])
    confidence = max(0.0, round(0.95 - 0.4 * (lead is None) - 0.2 * len(target_doubts) - 0.2 * len(deadline_doubts)
                                - 0.1 * (len(title) > 600), 2))
    return DraftTask(unit=lead, section=heading, cooperating_units=partners(org, title, lead), title=title,
                     target=target, deadline=deadline, legal_basis=tuple(cited_documents(title, known)),
                     confidence=confidence, source=SourceSpan(chunk.start, chunk.end, text[chunk.start:chunk.end]),
                     doubts=tuple(doubts))
