"""The program's figures at an instant, folded from each task's judgement then, by the dashboard's own
definitions (`shared.rules.rates`): the Inspectorate sees what the dashboard showed."""

from __future__ import annotations

from typing import Any

from shared.rules import rates
from shared.status import TaskStatus
from shared.vn import format_percent


def figures(tasks: list[rates.Judged]) -> dict[str, Any]:
    counts = rates.count(tasks)
    return {"total": counts.total, "counted": counts.counted, "completed": counts.completed,
            "completed_on_time": counts.completed_on_time, "completed_late": counts.completed_late,
            "overdue": counts.by_status[TaskStatus.IN_PROGRESS_OVERDUE],
            "completion_rate": counts.completion_rate, "completion_rate_label": format_percent(counts.completion_rate),
            "on_time_rate": counts.on_time_rate, "on_time_rate_label": format_percent(counts.on_time_rate),
            "exceeding_target": counts.exceeding_target, "at_risk": counts.at_risk,
            "by_status": [{"code": s.value, "label": s.label, "colour": s.colour, "count": n}
                          for s, n in counts.by_status.items()]}
