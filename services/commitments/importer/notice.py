"""The importer's entry points: a notice's text (or file) → a draft program."""

from __future__ import annotations

from pathlib import Path

from commitments.importer.build import draft_task
from commitments.importer.chunks import chunks
from commitments.importer.draft import Draft, DraftTask
from commitments.importer.layout import Block, blocks
from commitments.importer.reading import read_notice
from commitments.importer.tables import table_tasks
from commitments.importer.units import heading_unit
from commitments.importer.wording import document_index
from shared.catalog import Organisation, organisation
from shared.vn import nfc


def import_text(text: str, year: int, org: Organisation | None = None) -> Draft:
    org = org or organisation()
    text = nfc(text.replace("\r\n", "\n"))
    work = text.replace("*", " ")  # Markdown emphasis: same length, so offsets still point into `text`
    known = document_index(plain_index(text))
    found = blocks(text)
    tasks: list[DraftTask] = []
    rows = [b for b in found if b.kind == "row"]
    for block in found:
        if block.kind == "row":
            continue
        start, end = block.parts[0][0], block.parts[-1][1]
        for unit in _units_of(org, block, found):
            for chunk in chunks(work, start, end):
                tasks.append(draft_task(org, text, work, chunk, unit, block.heading, year, known))
    tasks += table_tasks(org, text, rows, year, known)
    tasks.sort(key=lambda t: t.source.start)
    return Draft(year=year, text=text, tasks=tuple(tasks))


def import_file(path: Path, year: int, org: Organisation | None = None) -> Draft:
    return import_text(read_notice(path), year, org)


def plain_index(text: str) -> str:
    return text.replace("*", "")


def _units_of(org: Organisation, block: Block, every: list[Block]) -> list[str | None]:
    """A section's own unit; the intro of a section of several units ("7. Các đơn vị thuộc Sở") goes to each."""
    if unit := heading_unit(org, block.heading):
        return [unit]
    if block.kind == "intro":
        subs = [heading_unit(org, b.heading) for b in every if b.number.startswith(block.number + ".")]
        if units := list(dict.fromkeys(u for u in subs if u)):
            return list(units)
    return [None]
