"""Who may read what of the reporting service, one rule for the JSON API and the dashboard alike.

Everyone signed in reads the whole program (the Department's work program is shared inside the
Department, and units cooperate on each other's tasks). The year-end evaluation for emulation and
rewards (thi đua, khen thưởng) is for the Board, who decides it, and the Inspectorate, who checks
it: before the Board has decided, a ranking must not circulate among the units (docs/dashboard.md).
"""

from __future__ import annotations

from shared.auth.tokens import Principal

EVALUATION_ROLES = frozenset({"board", "inspector"})
UNIT_ROLES = frozenset({"unit_staff", "unit_head"})


def may_see_evaluation(principal: Principal) -> bool:
    return principal.has(*EVALUATION_ROLES)
