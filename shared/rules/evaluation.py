"""The year-end evaluation of each unit for emulation and rewards (thi đua, khen thưởng). Pure.

The one rule: the dashboard's evaluation page ranks with it, and anyone recomputing the ranking from
the public record (offline, from the stream or the audit's log) calls the same code. The rule is
stated with the results (RULE), so whoever reads the ranking knows how it was made. Its shares take
the rates' definition (`shared.rules.rates.rate`); what counts as exceeding is stricter than the
dashboard's running count: only a quantitative task confirmed completed above its ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules.rates import rate

RULE = (
    "Tỷ lệ hoàn thành đúng hạn = số nhiệm vụ được Ban Giám đốc xác nhận hoàn thành đúng hạn / số nhiệm vụ được "
    "giao. Tỷ lệ vượt chỉ tiêu = số nhiệm vụ có chỉ tiêu định lượng đã được xác nhận hoàn thành với kết quả vượt "
    "mức cao nhất của chỉ tiêu / số nhiệm vụ có chỉ tiêu định lượng được giao. Nhiệm vụ được giao không tính "
    "nhiệm vụ đã hủy hoặc tạm hoãn có phê duyệt của Ban Giám đốc; nhiệm vụ chuyển giao giữa các đơn vị được tính "
    "cho đơn vị chủ trì hiện tại. Các đơn vị được xếp theo tỷ lệ hoàn thành đúng hạn, sau đó theo tỷ lệ vượt "
    "chỉ tiêu; cùng hai tỷ lệ thì cùng thứ hạng."
)


@dataclass(frozen=True)
class UnitTotals:
    """Clock-independent counts of one unit's tasks in one program year (the stored read model)."""

    org: str
    program_year: int
    unit: str
    assigned: int  # all tasks less cancelled and suspended
    cancelled: int
    suspended: int
    completed: int
    completed_on_time: int
    completed_late: int
    quantitative: int  # assigned tasks with a numeric target
    exceeding_target: int  # quantitative, confirmed completed, above the target's ceiling

    @property
    def on_time_share(self) -> float | None:
        return rate(self.completed_on_time, self.assigned)

    @property
    def exceeding_share(self) -> float | None:
        return rate(self.exceeding_target, self.quantitative)

    @property
    def completed_share(self) -> float | None:
        return rate(self.completed, self.assigned)


def ranked(units: list[UnitTotals]) -> list[tuple[int, UnitTotals]]:
    """Units in order of merit with their rank (1 = best; ties share a rank)."""

    def merit(u: UnitTotals) -> tuple[float, float]:
        return (u.on_time_share or 0.0, u.exceeding_share or 0.0)

    ordered = sorted(units, key=lambda u: (-merit(u)[0], -merit(u)[1], u.unit))
    out: list[tuple[int, UnitTotals]] = []
    for i, unit in enumerate(ordered):
        rank = out[-1][0] if out and merit(out[-1][1]) == merit(unit) else i + 1
        out.append((rank, unit))
    return out
