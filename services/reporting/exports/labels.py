"""Vietnamese words for the codes the read models carry (roles, kinds of target and deadline)."""

from __future__ import annotations

ROLES = {
    "office": "Văn phòng Sở",
    "unit_staff": "Chuyên viên đơn vị",
    "unit_head": "Lãnh đạo đơn vị",
    "board": "Ban Giám đốc",
    "inspector": "Thanh tra Sở",
    "system": "Hệ thống",
}

TARGET_KINDS = {
    "at_least": "Tối thiểu",
    "exactly": "Số lượng cụ thể",
    "range": "Khoảng",
    "percentage": "Tỷ lệ %",
    "milestone": "Mốc công việc",
    "qualitative": "Định tính",
}

DEADLINE_KINDS = {
    "none": "cả năm",  # no written deadline: due at the end of the program year (shared.rules.deadlines)
    "day": "Ngày",
    "exact": "Thời điểm cụ thể",
    "month": "Tháng",
    "quarter": "Quý",
    "half_year": "6 tháng",
    "year": "Năm",
    "recurring_yearly": "Hằng năm",
    "multi_year": "Giai đoạn nhiều năm",
}


def role(code: str) -> str:
    return ROLES.get(code, code)


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Có" if value else "Không")
