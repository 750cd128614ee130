"""The year-end evaluation of each unit for emulation and rewards (thi đua, khen thưởng). Pure.

The one home of the rule: the dashboard (reporting's `unit_evaluation` read model and ranking) and the
Inspectorate's offline recomputation from a transparency-log bundle (`camket audit verify-bundle
--evaluation`) both apply it. The rule is stated with the results (RULE), so whoever reads the ranking
knows how it was made. Its shares take the rates' definition (`shared.rules.rates.rate`).
`unit_totals` is the counting (golden cases: tests/unit/rules/test_evaluation.py);
the dashboard's read model counts the same way in SQL for speed (reporting/integration/projections/
evaluation.py), and tests/integration/reporting/test_evaluation_offline.py holds the two equal over a
generated year of activity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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
NOT_ASSIGNED = frozenset({"cancelled", "suspended"})
COUNTS = ("assigned", "cancelled", "suspended", "completed", "completed_on_time", "completed_late", "quantitative",
          "exceeding_target")


@dataclass(frozen=True)
class TaskFacts:
    """What the evaluation needs of one task at the year's end."""

    org: str
    program_year: int
    unit: str  # the current lead unit (a reassigned task counts for the unit that holds it)
    lifecycle: str  # active, awaiting_confirmation, completed, cancelled, suspended
    on_time: bool | None  # completion confirmed on or before the day it fell due (None: not completed)
    quantitative: bool  # the target has a number
    exceeds_target: bool  # the number reached is above the target's ceiling


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


def unit_totals(tasks: Iterable[TaskFacts]) -> list[UnitTotals]:
    """Each unit's counts for the tasks given (one org and program year at a time), ordered by unit."""
    counts: dict[tuple[str, int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for t in tasks:
        c = counts[t.org, t.program_year, t.unit]
        assigned = t.lifecycle not in NOT_ASSIGNED
        completed = t.lifecycle == "completed"
        c["assigned"] += assigned
        c["cancelled"] += t.lifecycle == "cancelled"
        c["suspended"] += t.lifecycle == "suspended"
        c["completed"] += completed
        c["completed_on_time"] += completed and bool(t.on_time)
        c["completed_late"] += completed and t.on_time is False
        c["quantitative"] += t.quantitative and assigned
        c["exceeding_target"] += t.quantitative and completed and t.exceeds_target
    return [UnitTotals(org=o, program_year=y, unit=u, **c) for (o, y, u), c in sorted(counts.items())]
