"""Text into a spreadsheet cell: shown exactly, never evaluated, never a workbook that cannot open.

The one function for every text cell of every export (reporting.exports.excel). Whatever the store
holds (events accepted before text was checked at the boundary stay forever):

- what a workbook cannot hold is dropped: the characters XML 1.0 refuses (C0 controls other than
  tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF). openpyxl raises on some
  of them and writes others into a file that no reader can open;
- text beginning with `=`, `+`, `-`, `@`, tab or carriage return is a string cell with Excel's
  quote prefix (what typing an apostrophe before it does): the cell shows the text as it is, and
  editing it does not turn it into a formula ("CSV/formula injection"). The text itself is not
  changed, so a note "=HYPERLINK(...)" reads back as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class CellText:
    text: str
    quoted: bool  # needs the quote prefix: it would otherwise read as a formula


def cell_text(value: str) -> CellText:
    text = _NOT_IN_XML.sub("", value)
    return CellText(text, text.startswith(FORMULA_STARTS))


def document_text(value: str) -> str:
    """Text into a Word document (reporting.exports.docx_layout): what XML cannot hold dropped as in a cell,
    and the bidirectional embeddings, overrides and isolates dropped too, since a printed and signed document
    must read as its characters are (shared.text refuses them at the boundary; older events may hold them).
    No quote prefix: a document has no formulas."""
    return _BIDI.sub("", cell_text(value).text)


__all__ = ["FORMULA_STARTS", "CellText", "cell_text", "document_text"]
