"""Reads a notice file into text: plain text, `.docx` (python-docx) or the text layer of a `.pdf` (pypdf)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import BinaryIO

from commitments.domain.errors import InvalidValue


def read_notice(path: Path) -> str:
    """Raises InvalidValue naming `file` for a file that is not what its name says."""
    return read_notice_bytes(path.read_bytes(), path.name)


def read_notice_bytes(data: bytes, name: str) -> str:
    """The text of an uploaded notice, by the suffix of its name (`.docx`, `.pdf`, else UTF-8 text)."""
    suffix = Path(name).suffix.lower()
    if suffix in (".docx", ".pdf"):
        try:
            return _docx(io.BytesIO(data)) if suffix == ".docx" else _pdf(io.BytesIO(data))
        except Exception as error:  # python-docx and pypdf raise their own kinds for a damaged file
            raise InvalidValue(f"{name} is not a readable {suffix} file: {error}", "file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue(f"{name} is not UTF-8 text, .docx or .pdf", "file") from None


def _docx(file: BinaryIO) -> str:
    import docx

    document = docx.Document(file)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # appendix tables: one line per row, cells joined as the text form writes them
        lines += [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
    return "\n\n".join(lines)


def _pdf(file: BinaryIO) -> str:
    from pypdf import PdfReader

    reader = PdfReader(file)
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
