"""Rules over events, and the alerts they make: recipients, ids, Vietnamese text."""

from __future__ import annotations

import unicodedata

from notifications.domain.alerts import Recipient, alert_id, build_alert
from notifications.domain.rules import Rule
from shared.catalog import organisation
from tests.unit.notifications.builders import DUE, REGISTERED, Story, applied, days, fired

ORG = organisation()
NOW = REGISTERED + days(60)

def test_a_lowered_target_and_a_later_deadline_fire_two_alerts_for_the_board_and_the_inspectorate() -> None:
    story = Story()
    f = applied(None, story.registered())
    revision = story.revised(NOW, new_minimum=8, new_due=DUE + days(92))
    after = applied(f, revision)
    assert after is not None
    made = [build_alert(firing, after, ORG, NOW) for firing in fired(revision)]
    assert [a.rule for a in made] == [Rule.TARGET_LOWERED, Rule.DEADLINE_EXTENDED]
    for alert in made:
        assert alert.recipients == (Recipient("board", "bgd"), Recipient("inspector", "thanh-tra"))
        assert alert.key == str(revision.event_id)
    lowered, extended = (a.message for a in made)
    assert "từ “ít nhất 10 doanh nghiệp” xuống “ít nhất 8 doanh nghiệp”" in lowered
    assert "Số: 123/QĐ-SKHCN" in lowered
    assert "từ 30/06/2025" in extended and "sang 30/09/2025" in extended

def test_a_revision_that_asks_for_more_fires_nothing() -> None:
    story = Story()
    story.registered()
    assert fired(story.revised(NOW, new_minimum=12)) == []

def test_reassignment_tells_both_units_and_cancellation_tells_the_unit() -> None:
    story = Story()
    f = applied(None, story.registered())
    moved = story.reassigned(NOW, "tt-cgcn")
    after = applied(f, moved)
    assert after is not None
    (alert,) = [build_alert(x, after, ORG, NOW) for x in fired(moved)]
    assert {r.unit for r in alert.recipients} == {"ql-cndmst", "tt-cgcn", "vp"}
    assert "từ Phòng Quản lý CN&ĐMST sang Trung tâm Nghiên cứu, chuyển giao công nghệ và ĐMST" in alert.message
    cancel = story.cancelled(NOW + days(1))
    gone = applied(after, cancel)
    assert gone is not None
    (cancelled,) = [build_alert(x, gone, ORG, NOW) for x in fired(cancel)]
    assert cancelled.rule is Rule.TASK_CANCELLED and "đã bị hủy ngày" in cancelled.message
    assert Recipient("unit_head", "tt-cgcn") in cancelled.recipients

def test_alert_ids_are_stable_and_texts_are_nfc() -> None:
    story = Story()
    f = applied(None, story.registered())
    cancel = story.cancelled(NOW)
    after = applied(f, cancel)
    assert after is not None
    (alert,) = [build_alert(x, after, ORG, NOW) for x in fired(cancel)]
    assert alert.id == alert_id("qt-skhcn", "task_cancelled", story.task_id, str(cancel.event_id))
    assert unicodedata.is_normalized("NFC", alert.message)
    assert "Nhiệm vụ QLCN-02 “Hỗ trợ doanh nghiệp đổi mới công nghệ” (Phòng Quản lý CN&ĐMST)" in alert.message
