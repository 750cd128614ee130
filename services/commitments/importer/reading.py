"""Reads a notice file into text: plain text, `.docx` (python-docx) or the text layer of a `.pdf` (pypdf)."""

from __future__ import annotations

import re
from pathlib import Path

from commitments.domain.errors import InvalidValue


def read_notice(path: Path) -> str:
    """Raises InvalidValue naming `file` for a file that is not what its name says."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".pdf"):
        try:
            return _docx(path) if suffix == ".docx" else _pdf(path)
        except Exception as error:  # python-docx and pypdf raise their own kinds for a damaged file
            raise InvalidValue(f"{path.name} is not a readable {suffix} file: {error}", "file") from None
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue(f"{path.name} is not UTF-8 text, .docx or .pdf", "file") from None


def _docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # appendix tables: one line per row, cells joined as the text form writes them
        lines += [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
    return "\n\n".join(lines)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return unwrap("\n".join(page.extract_text() or "" for page in reader.pages).splitlines())


_HEADING_LINE = re.compile(r"^(?:\d+(?:\.\d+)*|[IVX]+)[.)]\s*\S")


def unwrap(lines: list[str]) -> str:
    """A PDF's text layer breaks paragraphs into lines: a line continues the one above unless that one
    ends a sentence or is a heading, or the line is a table row."""
    paragraphs: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        previous = paragraphs[-1] if paragraphs else ""
        continues = previous and not previous.endswith((".", ":", ";", "!", "?")) and " | " not in line \
            and " | " not in previous and not (_HEADING_LINE.match(previous) and len(previous) < 160)
        if continues:
            paragraphs[-1] = f"{previous} {line}"
        else:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)
