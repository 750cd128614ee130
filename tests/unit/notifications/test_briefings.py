"""The weekly and monthly briefing: which period is due, and what it says."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, time
from uuid import UUID

from notifications.domain.briefing_periods import BriefingKind, due_briefings, latest_month, latest_week
from notifications.domain.digest import compose
from shared.catalog import organisation
from shared.vn import local_instant
from tests.unit.notifications.builders import DUE, REGISTERED, days, facts

ORG = organisation()


def test_the_weekly_briefing_is_the_week_before_and_due_on_monday_at_seven_in_vietnam() -> None:
    monday_7 = local_instant(date(2025, 6, 9), time(7))
    before = latest_week(monday_7 - days(1 / 86400), weekday=0, hour=7)
    at = latest_week(monday_7, weekday=0, hour=7)
    assert (before.first_day, before.last_day) == (date(2025, 5, 26), date(2025, 6, 1))
    assert (at.first_day, at.last_day, at.following.last_day) == (date(2025, 6, 2), date(2025, 6, 8), date(2025, 6, 15))
    assert at.label == "tuần từ 02/06/2025 đến 08/06/2025"
    assert latest_week(monday_7 + days(3), weekday=0, hour=7) == at  # still that week's until next Monday


def test_the_monthly_briefing_is_the_month_before_due_on_the_first() -> None:
    first_7 = local_instant(date(2025, 7, 1), time(7))
    assert latest_month(first_7 - days(1 / 86400), hour=7).code == "2025-05"
    june = latest_month(first_7, hour=7)
    assert (june.code, june.label, june.last_day, june.following.last_day) == (
        "2025-06", "tháng 6/2025", date(2025, 6, 30), date(2025, 7, 31))
    january = latest_month(local_instant(date(2026, 1, 1), time(8)), hour=7)
    assert (january.code, january.following.last_day) == ("2025-12", date(2026, 1, 31))
    assert {p.kind for p in due_briefings(first_7, 0, 7)} == {BriefingKind.WEEKLY, BriefingKind.MONTHLY}


def test_the_briefing_lists_what_changed_what_is_overdue_and_what_falls_due_next() -> None:
    period = latest_month(local_instant(date(2025, 7, 1), time(7)), hour=7)  # June 2025
    now = period.ends_at + days(0.3)
    june = datetime(2025, 6, 10, 3, tzinfo=UTC)
    tasks = [
        facts(task_id=UUID(int=1), ref="A-1", last_report_at=june, last_report_as_of=date(2025, 6, 9),
              achieved_value=4.0),
        facts(task_id=UUID(int=2), ref="A-2", due_at=DUE - days(10)),  # overdue, silent
        facts(task_id=UUID(int=3), ref="A-3", due_at=DUE + days(20), revised_at=june, target_lowered=True),
        facts(task_id=UUID(int=4), ref="A-4", lifecycle="completed", completed_on=date(2025, 6, 5),
              completed_at=june),
        facts(task_id=UUID(int=5), ref="A-5", due_at=DUE + days(60), registered_at=REGISTERED),
    ]
    b = compose(tasks, period, now, ORG)
    assert b.subject == "[Sở KH&CN Quảng Trị] Trực báo tháng 6/2025"
    assert "Tình hình chung: 5 nhiệm vụ" in b.body and "Hoàn thành đúng hạn: 1" in b.body
    assert "Có báo cáo tiến độ: 1\n  - Nhiệm vụ A-1" in b.body
    assert "đạt 4 / 10 doanh nghiệp (số liệu đến ngày 09/06/2025)" in b.body
    assert "Được xác nhận hoàn thành: 1\n  - Nhiệm vụ A-4" in b.body
    assert "Điều chỉnh chỉ tiêu, thời hạn: 1\n  - Nhiệm vụ A-3" in b.body and "giảm chỉ tiêu" in b.body
    assert "Đang quá hạn: 2\n  - Nhiệm vụ A-2" in b.body  # A-1 too: due 30/06, not done
    assert "Đến hạn trong tháng tới: 1\n  - Nhiệm vụ A-3" in b.body and "hạn 20/07/2025" in b.body
    assert "Nhiệm vụ mới giao: 0" in b.body
    assert unicodedata.is_normalized("NFC", b.body)


def test_long_lists_are_cut_with_a_count_of_the_rest() -> None:
    period = latest_week(local_instant(date(2025, 7, 7), time(7)), weekday=0, hour=7)
    late = [replace(facts(), task_id=UUID(int=i), ref=f"T-{i}") for i in range(45)]
    body = compose(late, period, period.ends_at, ORG).body
    assert "Đang quá hạn: 45" in body and "… và 5 nhiệm vụ khác" in body
