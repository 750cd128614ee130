"""The golden cases of the briefing windows (shared.rules.briefings), and both services' code paths:
the dashboard's briefing page (a window chosen by a day in it) and the mailed briefing (the window
that ended before its sending time)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from notifications.domain.briefing_periods import latest_month, latest_week
from shared.rules.briefings import WindowKind, due_next, window
from shared.vn import local_instant

# kind, a day inside → first day, last day, label, the window's code
WINDOWS = [
    (WindowKind.WEEK, date(2025, 6, 18), date(2025, 6, 16), date(2025, 6, 22), "Tuần từ 16/06/2025 đến 22/06/2025"),
    (WindowKind.WEEK, date(2025, 12, 31), date(2025, 12, 29), date(2026, 1, 4), "Tuần từ 29/12/2025 đến 04/01/2026"),
    (WindowKind.MONTH, date(2025, 2, 10), date(2025, 2, 1), date(2025, 2, 28), "Tháng 2/2025"),
    (WindowKind.MONTH, date(2025, 12, 5), date(2025, 12, 1), date(2025, 12, 31), "Tháng 12/2025"),
]


@pytest.mark.parametrize(("kind", "day", "first", "last", "label"), WINDOWS)
def test_the_dashboards_window(kind: WindowKind, day: date, first: date, last: date, label: str) -> None:
    span = window(kind, day)
    assert (span.first_day, span.last_day, span.label) == (first, last, label)
    assert span.contains(local_instant(first)) and span.contains(local_instant(last, time(23, 59, 59)))
    assert not span.contains(local_instant(last + timedelta(days=1)))


@pytest.mark.parametrize(("kind", "day", "first", "last", "label"), WINDOWS)
def test_the_mailed_briefings_window(kind: WindowKind, day: date, first: date, last: date, label: str) -> None:
    sending = local_instant(last + timedelta(days=1), time(7))  # Monday 07:00 / the 1st at 07:00
    period = latest_week(sending, 0, 7) if kind is WindowKind.WEEK else latest_month(sending, 7)
    assert (period.first_day, period.last_day, period.label) == (first, last, label[0].lower() + label[1:])


# lifecycle, due (days after the following window starts) → listed under "due next"
DUE_NEXT = [("active", 0, True), ("active", 6, True), ("active", 7, False), ("active", -1, False),
            ("awaiting_confirmation", 2, False), ("suspended", 2, False), ("cancelled", 2, False)]


@pytest.mark.parametrize(("lifecycle", "offset", "listed"), DUE_NEXT)
def test_what_falls_due_next(lifecycle: str, offset: int, listed: bool) -> None:
    following = window(WindowKind.WEEK, date(2025, 6, 18)).next()
    due = local_instant(following.first_day + timedelta(days=offset), time(23, 59, 59))
    assert due_next(lifecycle, due, following) is listed
