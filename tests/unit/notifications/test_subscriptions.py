"""Who gets what: by role, by unit, by rule."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from notifications.domain.alerts import Alert, Recipient
from notifications.domain.rules import Rule, Severity
from notifications.domain.subscriptions import Channel, Subscription

OVERDUE = Alert(id=uuid4(), org="qt-skhcn", rule=Rule.OVERDUE, key="k", task_id=uuid4(), task_ref="QLCN-02",
                program_year=2025, unit="ql-cndmst",
                recipients=(Recipient("office", "vp"), Recipient("unit_head", "ql-cndmst"), Recipient("board", "bgd")),
                severity=Severity.CRITICAL, message="…", boundary_at=datetime(2025, 7, 1, tzinfo=UTC),
                fired_at=datetime(2025, 7, 1, tzinfo=UTC), detail={})


def sub(**fields: object) -> Subscription:
    return Subscription(id=uuid4(), name="s", channel=Channel.EMAIL, address="a@b.vn", **fields)  # type: ignore[arg-type]


def test_empty_filters_take_everything() -> None:
    assert sub().wants(OVERDUE)


def test_role_unit_and_rule_filters() -> None:
    assert sub(roles=("office",)).wants(OVERDUE)
    assert not sub(roles=("inspector",)).wants(OVERDUE)
    assert sub(roles=("unit_head",), units=("ql-cndmst",)).wants(OVERDUE)
    assert not sub(roles=("unit_head",), units=("ql-kh",)).wants(OVERDUE)
    assert sub(units=("ql-cndmst",)).wants(OVERDUE)  # a system following one unit's tasks
    assert sub(roles=("board",), rules=("overdue", "target_lowered")).wants(OVERDUE)
    assert not sub(roles=("board",), rules=("target_lowered",)).wants(OVERDUE)
    assert not sub(active=False).wants(OVERDUE)


def test_the_briefing_goes_by_email_to_the_office_and_the_board_that_ask_for_it() -> None:
    roles = frozenset({"office", "board"})
    assert sub(roles=("office",)).wants_digest(roles)
    assert sub(roles=("board",), rules=("digest",)).wants_digest(roles)
    assert not sub(roles=("board",), rules=("overdue",)).wants_digest(roles)
    assert not sub(roles=("unit_head",)).wants_digest(roles)
    assert not sub().wants_digest(roles)  # no role named: not the Office's or the Board's mailbox
    webhook = Subscription(id=uuid4(), name="w", channel=Channel.WEBHOOK, address="http://x", roles=("office",))
    assert not webhook.wants_digest(roles)
