"""Reference data shared by every service: the organisation and its units (names, kinds, sections)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # office | division | inspectorate | centre | board | external
    section: str | None = None
    full_name: str | None = None


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    short_name: str
    place: str
    units: tuple[Unit, ...]

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)

    def unit_name(self, code: str) -> str:
        found = self.unit(code)
        return found.name if found else code

    @property
    def task_owners(self) -> tuple[Unit, ...]:
        """Units that carry tasks of the program (not the Board, not outside bodies)."""
        return tuple(u for u in self.units if u.kind not in ("board", "external"))


@cache
def organisation(code: str = "qt-skhcn") -> Organisation:
    raw: dict[str, Any] = yaml.safe_load(resources.files("shared.data").joinpath(f"{code}.yaml").read_text("utf-8"))
    units = tuple(Unit(**u) for u in raw["units"])
    org = raw["org"]
    return Organisation(code=org["code"], name=org["name"], short_name=org["short_name"], place=org["place"],
                        units=units)
