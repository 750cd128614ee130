"""Cuts a notice's text into what carries tasks: sections by unit, bullets and lettered items, table rows.

Offsets always point into the text given. A paragraph that is neither a heading nor a bullet continues
the bullet above (a page break cut it, or a "Mục tiêu năm 2025: …" paragraph belongs to it); the
closing paragraphs ("Giao các phòng…", "Trên đây…", "Nơi nhận") end the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(?P<num>(?:\d+(?:\.\d+)*|[IVX]+))[.)]?\s*(?P<title>[^\W\d].{0,150}?)[:.]?$")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*|[IVX]+)[.)]\s+\S")
_BULLET = re.compile(r"^(?:[-–•+*]|[a-zđ]\))\s+")
_CLOSING = re.compile(r"^(?:Giao các|Trên đây|Nơi nhận|TL\.|KT\.|GIÁM ĐỐC)", re.I)
_EMPHASIS = re.compile(r"\*+")


@dataclass
class Block:
    kind: str  # bullet | row | intro
    heading: str
    number: str
    parts: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each paragraph


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Paragraph]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        stripped = m.group().strip()
        if stripped:
            lead = len(m.group()) - len(m.group().lstrip())
            out.append(Paragraph(m.start() + lead, m.start() + lead + len(stripped), stripped))
    return out


def plain(text: str) -> str:
    """The text as a reader sees it: no Markdown emphasis, one space between words."""
    return " ".join(_EMPHASIS.sub("", text).split())


def blocks(text: str) -> list[Block]:
    found: list[Block] = []
    heading, number, current, closed = "", "", None, True
    for p in paragraphs(text):
        line = plain(p.text)
        if " | " in line:
            found.append(Block("row", heading, number, [(p.start, p.end)]))
            current = None
            continue
        h = _HEADING.match(line)
        if h and len(line) < 160 and not line.endswith((".", ";")):
            heading, number, current, closed = h["title"].strip(" :"), h["num"], None, False
            continue
        if _CLOSING.match(line):
            closed, current = True, None
            continue
        if _NUMBERED.match(line):  # a numbered item that is a whole sentence ("2. Các sở … quy định.") is a task
            current, closed = Block("bullet", heading, number, [(p.start, p.end)]), False
            found.append(current)
        elif closed:
            continue
        elif _BULLET.match(p.text.lstrip("*")):
            current = Block("bullet", heading, number, [(p.start, p.end)])
            found.append(current)
        elif current is not None:
            current.parts.append((p.start, p.end))
        else:
            current = Block("intro", heading, number, [(p.start, p.end)])
            found.append(current)
    return found
