"""Who acts in the demo: the Office, the Board, and each unit's staff and head (sample people)."""

from __future__ import annotations

from commitments.domain.approvals import Approval
from shared.auth.tokens import Principal

OFFICE = Principal(user_id="demo.office", name="Lê Thị Hoa (Văn phòng)", unit="vp", roles=frozenset({"office"}))
BOARD = Principal(user_id="demo.board", name="Trần Ngọc Lâm (Giám đốc Sở)", unit="bgd",
                  roles=frozenset({"board"}))
DIRECTOR = "Trần Ngọc Lâm, Giám đốc Sở"


def staff(unit: str) -> Principal:
    return Principal(user_id=f"demo.staff.{unit}", name=f"Cán bộ {unit}", unit=unit, roles=frozenset({"unit_staff"}))


def head(unit: str) -> Principal:
    return Principal(user_id=f"demo.head.{unit}", name=f"Trưởng {unit}", unit=unit, roles=frozenset({"unit_head"}))


def decision(number: int) -> Approval:
    """The Director's decision approving a change, numbered as the Department numbers them."""
    return Approval.of(DIRECTOR, f"Số: {number}/QĐ-SKHCN")
