"""Reading a rendered page back: its data tables as rows of cell texts, and its visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.key: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.text: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("class") == "data":
            self.key = a.get("data-key") or ""
            self.tables[self.key] = []
        elif tag == "tr" and self.key is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in ("style", "script", "title"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.key = None
        elif tag == "tr" and self.row is not None and self.key is not None:
            self.tables[self.key].append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif tag in ("style", "script", "title"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if not self.hidden and data.strip():
            self.text.append(re.sub(r"\s+", " ", data.strip()))


def tables(html: str) -> dict[str, list[list[str]]]:
    """Each data table's rows (the header row first, a totals row last), by its key."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def text(html: str) -> str:
    parser = _Tables()
    parser.feed(html)
    return " ".join(parser.text)


def column(rows: list[list[str]], header: str) -> list[str]:
    index = rows[0].index(header)
    return [r[index] for r in rows[1:]]
