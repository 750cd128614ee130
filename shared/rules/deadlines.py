"""How a deadline is worded where a task is shown or announced. Pure.

A task whose notice writes no deadline is due at the end of its program year (31/12, see
`shared.periods`); it is shown with that date and the words "cả năm" (the whole year), never as
"Không thời hạn" — it has a time limit, the year — nor as an empty pair of brackets in an alert.
"""

from __future__ import annotations

WHOLE_YEAR = "cả năm"


def deadline_wording(written: str) -> str:
    """The deadline as the notice writes it, or "cả năm" when it writes none."""
    return written.strip() or WHOLE_YEAR
