"""Appendix tables (rows with ` | ` cells): a header row names the columns; each later row is a task."""

from __future__ import annotations

import re

from commitments.importer.build import draft_deadline, draft_target
from commitments.importer.draft import DraftTask, SourceSpan
from commitments.importer.layout import Block, plain
from commitments.importer.units import named_units, partners
from commitments.importer.wording import cited_documents, find_targets
from shared.catalog import Organisation

_COLUMNS = [("cooperating", re.compile(r"phối hợp", re.I)), ("unit", re.compile(r"chủ trì|đơn vị", re.I)),
            ("deadline", re.compile(r"thời gian|thời hạn|tiến độ|hoàn thành", re.I)),
            ("target", re.compile(r"chỉ tiêu|kết quả|sản phẩm|mục tiêu", re.I)),
            ("title", re.compile(r"nội dung|nhiệm vụ|tên", re.I))]


def _header(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for name, pattern in _COLUMNS:
            if pattern.search(cell) and name not in found:
                found[name] = i
                break
    return found if "title" in found else None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table_tasks(org: Organisation, text: str, rows: list[Block], year: int, known: dict[str, str]) -> list[DraftTask]:
    tasks: list[DraftTask] = []
    columns: dict[str, int] | None = None
    for row in rows:
        start, end = row.parts[0]
        cells = _cells(plain(text[start:end]))
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        if (header := _header(cells)) and not any(re.search(r"\d", c) for c in cells[:1]):
            columns = header
            continue
        if columns is None:
            continue
        tasks.append(_row_task(org, text, row, dict(zip(columns, (_at(cells, i) for i in columns.values()),
                                                         strict=True)), year, known))
    return tasks


def _at(cells: list[str], i: int) -> str:
    return cells[i] if i < len(cells) else ""


def _row_task(org: Organisation, text: str, row: Block, cells: dict[str, str], year: int,
              known: dict[str, str]) -> DraftTask:
    def cell(name: str) -> str:
        return cells.get(name, "")

    start, end = row.parts[0]
    title = cell("title")
    units = named_units(org, cell("unit"))
    lead = units[0] if units else None
    targets = tuple(find_targets(cell("target") or title, None))
    target, target_doubts = draft_target(targets, title)
    deadline, deadline_doubts = draft_deadline(cell("deadline") or None, year)
    doubts = target_doubts + deadline_doubts + ([] if lead else [f"no unit of the catalogue in {cell('unit')!r}"])
    confidence = max(0.0, round(0.95 - 0.4 * (lead is None) - 0.2 * len(doubts), 2))
    coop = partners(org, "phối hợp với " + cell("cooperating"), lead) if cell("cooperating") else ()
    return DraftTask(unit=lead, section=row.heading, cooperating_units=coop, title=title, target=target,
                     deadline=deadline, legal_basis=tuple(cited_documents(title, known)), confidence=confidence,
                     source=SourceSpan(start, end, text[start:end]), doubts=tuple(doubts))
