"""The year-end evaluation of each unit (thi đua, khen thưởng): the rule lives in `shared.rules.evaluation`,
where the Inspectorate's offline recomputation from a transparency-log bundle applies it too."""

from __future__ import annotations

from shared.rules.evaluation import RULE, UnitTotals, ranked

__all__ = ["RULE", "UnitTotals", "ranked"]
