"""The Vietnamese text of the time rules' alerts: dates dd/mm/yyyy in Vietnam, numbers 98,62%."""

from __future__ import annotations

from datetime import date

from notifications.domain.alerts import Recipient, build_alert
from notifications.domain.rules import RuleConfig, firings_at
from shared.catalog import organisation
from tests.unit.notifications.builders import DUE, REGISTERED, days, facts

ORG = organisation()


def _messages(f: object, at: object) -> dict[str, str]:
    return {x.rule.value: build_alert(x, f, ORG, at).message for x in firings_at(f, at, RuleConfig())}  # type: ignore[arg-type]


def test_approaching_and_behind_pace_texts() -> None:
    texts = _messages(facts(achieved_value=2.5), DUE - days(3))
    assert texts["deadline_approaching"].endswith("sắp đến hạn: còn 3 ngày (hạn 30/06/2025, 6/2025).")
    assert "mới đạt 2,5 doanh nghiệp / 10 doanh nghiệp (25,00%)" in texts["behind_pace"]
    assert "theo tiến độ đều cần khoảng 98," in texts["behind_pace"]


def test_overdue_and_silence_texts_use_civil_dates_in_vietnam() -> None:
    # 16:59:59 UTC on 30/06 is 23:59:59 in Vietnam: still the 30th there
    texts = _messages(facts(last_report_at=REGISTERED + days(10)), DUE + days(1))
    assert "đã quá hạn (6/2025, hạn 30/06/2025) mà chưa được xác nhận hoàn thành." in texts["overdue"]
    assert "chưa có báo cáo tiến độ trong 30 ngày (lần gần nhất ngày 16/01/2025)." in texts["no_progress"]


def test_waiting_text_and_recipients() -> None:
    asked = DUE - days(20)
    f = facts(lifecycle="awaiting_confirmation", completion_requested_at=asked, completed_on=date(2025, 6, 9))
    (firing,) = firings_at(f, asked + days(8), RuleConfig())
    alert = build_alert(firing, f, ORG, asked + days(8))
    assert "đã đề nghị xác nhận hoàn thành từ ngày 10/06/2025 (hoàn thành ngày 09/06/2025)" in alert.message
    assert alert.recipients == (Recipient("board", "bgd"), Recipient("office", "vp"))


def test_long_titles_are_shortened() -> None:
    texts = _messages(facts(title="Nhiệm vụ " * 40), DUE + days(1))
    assert "…”" in texts["overdue"] and len(texts["overdue"]) < 300
