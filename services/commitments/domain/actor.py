"""Who made a change: taken from the verified token, never from a request body."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OFFICE = "office"  # Văn phòng Sở: registers and reassigns tasks
    UNIT_STAFF = "unit_staff"  # cán bộ phòng/đơn vị: reports progress on the unit's tasks
    UNIT_HEAD = "unit_head"  # trưởng phòng/đơn vị: as staff, and requests completion
    BOARD = "board"  # Ban Giám đốc: approves revisions, confirms completion, cancels
    INSPECTOR = "inspector"  # Thanh tra Sở: reads everything, writes nothing


@dataclass(frozen=True)
class Actor:
    user_id: str
    name: str
    unit: str
    role: Role
    # Who the person is at the identity provider (`iss`, `sub`). Defaults: events stored before these
    # fields existed still load.
    issuer: str = ""
    subject: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.unit})"
