"""Matches the units a notice names against the catalogue (`shared/catalog.py`)."""

from __future__ import annotations

import re

from shared.catalog import Organisation, Unit
from shared.vn import nfc

# "các phòng, đơn vị (thuộc Sở)": every internal unit except the lead (the program's transcription rule).
_ALL_UNITS = re.compile(r"các phòng,? đơn vị", re.I)
_PARTNERS = re.compile(r"phối hợp(?: chặt chẽ)?(?: với)?\s+(?P<who>[^.;]*)", re.I)
_LEAD = re.compile(r"(?:đơn vị )?chủ trì[:,]?\s+(?!phối hợp)(?P<who>[^.;()]*)", re.I)


def _key(text: str) -> str:
    return re.sub(r"[^\w&]+", " ", nfc(text).casefold()).strip()


def _names(unit: Unit) -> list[str]:
    return [_key(n) for n in (unit.name, unit.full_name) if n]


def heading_unit(org: Organisation, heading: str) -> str | None:
    key = _key(heading)
    for unit in org.task_owners:
        if any(key == n or key.startswith(n + " ") for n in _names(unit)):
            return unit.code
    return None


def named_units(org: Organisation, text: str) -> list[str]:
    key = " " + _key(text) + " "
    return [u.code for u in org.task_owners if any(f" {n} " in key for n in _names(u))]


def partners(org: Organisation, text: str, lead: str | None) -> tuple[str, ...]:
    found: list[str] = []
    for m in _PARTNERS.finditer(text):
        who = m["who"]
        if _ALL_UNITS.match(who.strip()):
            found += [u.code for u in org.task_owners]
        found += named_units(org, who)
    return tuple(dict.fromkeys(c for c in found if c != lead))


def lead_named(org: Organisation, text: str) -> str | None:
    """A unit written as lead ("chủ trì: Văn phòng Sở", "Đơn vị chủ trì Thanh tra Sở")."""
    for m in _LEAD.finditer(text):
        if codes := named_units(org, m["who"]):
            return codes[0]
    return None
