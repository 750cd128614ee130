"""Free text at the boundary: what a person may type into any API or form of the system.

Every free-text field (titles, notes, reasons, evidence names, approval documents, webhook names,
search strings) is NFC-normalised — the same word typed on two keyboards is the same string — and
refused (422 naming the field) when it holds a character that has no business in text a person
writes and that breaks or deceives what reads it later:

- C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F), except newline and tab in long
  text: PostgreSQL refuses NUL in text and json, workbooks refuse most of them;
- lone surrogates (U+D800–U+DFFF): they cannot be encoded as UTF-8 at all;
- noncharacters (U+FDD0–U+FDEF and U+xFFFE, U+xFFFF of every plane);
- bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069): they make a
  name or a number read differently from what it is ("Trojan Source").

A leading `=`, `+`, `-` or `@` is ordinary text here (a target "+10 %", a note "- xong"); the Excel
export neutralises it (reporting.exports.cells). What is already stored is made storable by
shared.storable, never refused.

    Title = Annotated[str, StringConstraints(min_length=1, max_length=1000), OneLine]
    Note = Annotated[str, StringConstraints(max_length=2000), MultiLine]   # newline and tab allowed

The bounds apply to the text as sent; NFC only shortens Vietnamese text (decomposed letters become
precomposed), so they hold on the stored form.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

_OTHERS = (
    "\x7f-\x9f"  # DEL and C1
    "\ud800-\udfff"  # surrogates (only lone ones can reach a Python str)
    "\ufdd0-\ufdef\ufffe\uffff"  # noncharacters of the first plane
    "\u202a-\u202e\u2066-\u2069"  # bidirectional embeddings, overrides, isolates
)
_ONE_LINE = re.compile(f"[\x00-\x1f{_OTHERS}]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # tab (09) and newline (0A) allowed
# U+xFFFE and U+xFFFF of the other planes are found among the characters beyond the first plane (rare):
# a character class of all 32 made every search many times slower.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class UnsafeText(ValueError):
    """The text holds a character a person's text may not hold (the message names it and where)."""


def clean_text(value: str, *, multiline: bool = False) -> str:
    """The NFC form of `value`, or UnsafeText naming the first forbidden character and its position."""
    found = (_MULTILINE if multiline else _ONE_LINE).search(value)
    if found is None:
        found = next((m for m in _ASTRAL.finditer(value) if ord(m.group()) & 0xFFFE == 0xFFFE), None)
    if found is not None:
        char = found.group()
        raise UnsafeText(f"character U+{ord(char):04X} ({_label(char)}) at position {found.start()} is not allowed "
                         "in text")
    return unicodedata.normalize("NFC", value)


def clean_line(value: str) -> str:
    """One-line text (a title, a name, a search): no control character at all."""
    return clean_text(value)


def clean_long(value: str) -> str:
    """Long text (a note, a reason): newline and tab allowed; a form's CR LF line ends become LF."""
    return clean_text(value.replace("\r\n", "\n"), multiline=True)


# Markers for pydantic fields and FastAPI query parameters, after the length bounds:
#     Title = Annotated[str, StringConstraints(min_length=1, max_length=1000), OneLine]
OneLine = AfterValidator(clean_line)
MultiLine = AfterValidator(clean_long)
# A one-line text of any length, for query parameters: `q: Annotated[SafeLine | None, Query(max_length=200)]`.
SafeLine = Annotated[str, OneLine]


def _label(char: str) -> str:
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "a control character"
    if 0xD800 <= code <= 0xDFFF:
        return "a lone surrogate"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "a bidirectional override"
    return "a noncharacter"


__all__ = ["MultiLine", "OneLine", "SafeLine", "UnsafeText", "clean_line", "clean_long", "clean_text"]
