"""A table view as data: typed columns and raw cell values. The page renders it as HTML and the Excel
export writes the same object, so whatever table a user sees can be downloaded as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"
    PERCENT = "percent"  # 0–100 (98.62 is printed 98,62%)
    DATE = "date"
    DATETIME = "datetime"
    STATUS = "status"  # a Badge


@dataclass(frozen=True)
class Badge:
    """A label with one of the official colour names of shared.status (green, blue, orange, red...)."""

    label: str
    colour: str


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: int = 14  # in characters, for the workbook
    colour: str | None = None  # a status colour for the header of a count column


@dataclass(frozen=True)
class Row:
    values: tuple[Any, ...]
    href: str | None = None  # where the row's first text cell links to on the page
    highlight: bool = False  # the viewer's own unit


@dataclass(frozen=True)
class Table:
    key: str  # the table's name in its page's export address: /…/excel/<key>
    title: str
    columns: tuple[Column, ...]
    rows: list[Row]
    notes: tuple[str, ...] = ()  # printed under the title ("Số liệu tính đến ngày …")
    empty: str = "Không có nhiệm vụ nào."
    footer: tuple[Any, ...] | None = field(default=None)  # a totals row
    link_column: int = 0  # which cell carries the row's link on the page

    def __post_init__(self) -> None:
        for row in [*(r.values for r in self.rows), *([self.footer] if self.footer else [])]:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.key!r}: a row has {len(row)} cells for {len(self.columns)} columns")

    def column_values(self, header: str) -> list[Any]:
        index = next(i for i, c in enumerate(self.columns) if c.header == header)
        return [r.values[index] for r in self.rows]

