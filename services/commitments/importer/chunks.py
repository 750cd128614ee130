"""Cuts one bullet into tasks: a sentence that commits a number or a date closes a task; the sentences
before it belong to it; sentences after the last one join that last task, unless they name their own
partners ("Chủ trì, phối hợp với …"), which makes them a task of their own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from commitments.importer.wording import find_deadline, find_targets

_MARKER = re.compile(r"\s*(?:[-–•+]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?](?:\.\.)?\s+|\n\s*")
_INLINE_ITEM = re.compile(r"(?<=[:;,])\s+(?=[a-zđ]\)\s)")  # "…, gồm: a) …; b) …" written on one line
_OWN_PARTNERS = re.compile(r"^\s*(?:chủ trì|phối hợp)", re.I)


@dataclass(frozen=True)
class Chunk:
    start: int  # offsets into the text given to `chunks`
    end: int
    deadline: tuple[int, int] | None
    targets: tuple[tuple[int, int, str], ...]


def sentences(work: str, start: int, end: int) -> list[tuple[int, int]]:
    if m := _MARKER.match(work, start):
        start = m.end()
    cuts, pos = [], start
    ends = [m.end() for m in _SENTENCE_END.finditer(work, start, end)
            if (following := work[m.end():m.end() + 1]) and (following.isupper() or following in "“\"(")]
    ends += [m.end() for m in _INLINE_ITEM.finditer(work, start, end)]
    for cut in sorted(ends):
        cuts.append((pos, cut))
        pos = cut
    cuts.append((pos, end))
    return [(_after_marker(work, a), len(work[:b].rstrip())) for a, b in cuts if work[a:b].strip()]


def _after_marker(work: str, at: int) -> int:
    m = _MARKER.match(work, at)
    return m.end() if m and re.match(r"\s*[a-zđ]\)", work[at:at + 4]) else at


def _clauses(work: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence of several targets joined by ';' ("100% …; 100% …") is one task per target."""
    parts, pos = [], a
    for m in re.finditer(r";\s+", work[a:b]):
        parts.append((pos, a + m.start() + 1))
        pos = a + m.end()
    parts.append((pos, b))
    with_target = [p for p in parts if find_targets(work[p[0]:p[1]], None)]
    return parts if len(parts) > 1 and len(with_target) == len(parts) else [(a, b)]


def chunks(work: str, start: int, end: int) -> list[Chunk]:
    found: list[Chunk] = []
    pending: int | None = None  # start of the sentences waiting for the committing sentence they lead to
    for a, b in sentences(work, start, end):
        sentence_deadline = _absolute(find_deadline(work[a:b]), a)
        for ca, cb in _clauses(work, a, b):
            deadline = _absolute(find_deadline(work[ca:cb]), ca) or sentence_deadline
            inside = deadline if deadline and ca <= deadline[0] < cb else None
            local = (inside[0] - ca, inside[1] - ca) if inside else None
            targets = tuple((s + ca, e + ca, t) for s, e, t in find_targets(work[ca:cb], local))
            first = ca if pending is None else pending
            if deadline or targets or _inline_item(work, a):  # a lettered item is a task even without a number
                found.append(Chunk(first, cb, deadline, targets))
                pending = None
            elif pending is None:
                pending = ca
    tail = len(work[:end].rstrip())
    if pending is not None and found and not _OWN_PARTNERS.match(work[pending:tail]):
        last = found[-1]
        found[-1] = Chunk(last.start, tail, last.deadline, last.targets)
    elif pending is not None:
        found.append(Chunk(pending, tail, None, ()))
    return found


def _inline_item(work: str, at: int) -> bool:
    return re.search(r"[:;,]\s+[a-zđ]\)\s+$", work[max(0, at - 8):at]) is not None


def _absolute(span: tuple[int, int] | None, offset: int) -> tuple[int, int] | None:
    return (span[0] + offset, span[1] + offset) if span else None
