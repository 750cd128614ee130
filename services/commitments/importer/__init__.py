"""The notice importer: a yearly notice (text, `.docx`, `.pdf`) → a draft program to review.

    from commitments.importer import import_file, import_text
    draft = import_text(text, year=2026)          # or import_file(Path("notice.docx"), year=2026)
    for task in draft.tasks:                      # DraftTask dataclasses (commitments/importer/draft.py)
        task.unit, task.cooperating_units, task.title, task.target.kind, task.deadline.ends_at, task.source

Parsing is pure (`import_text`); only `reading.py` touches files. The steps: `layout` cuts the text into
sections by unit, bullets, lettered items and table rows; `chunks` cuts a bullet into tasks (a sentence
committing a number or a date closes a task); `wording` finds the target, deadline and documents in a
sentence after masking programme names and document dates; the domain's `parse_target` and
`parse_deadline` read them, so the importer reads exactly what the commitments API accepts. Units come
from the catalogue (`shared/catalog.py`). `confidence` starts at 0.95 and drops for each doubt, which
`doubts` lists for the reviewer. A draft registers nothing: a reviewer accepts it.
"""

from __future__ import annotations

from commitments.importer.draft import Draft, DraftDeadline, DraftTarget, DraftTask, SourceSpan
from commitments.importer.notice import import_file, import_text
from commitments.importer.reading import read_notice_bytes

__all__ = ["Draft", "DraftDeadline", "DraftTarget", "DraftTask", "SourceSpan", "import_file", "import_text",
           "read_notice_bytes"]
