"""The order check each message carries, and what the publisher concludes from where the stream ends."""

from __future__ import annotations

import logging

import pytest

from commitments.publisher.position import Position
from commitments.publisher.reconcile import StreamEnd, StreamMismatch, check_end
from commitments.publisher.windows import Cursor, Guard

ORG = "camket.v1.qt-skhcn.events.>"


def test_per_organisation_checks_chain_each_message_to_the_one_before() -> None:
    # The stream ends at 42 (another organisation's message); this organisation's last one is at 40.
    cursor, guard = Cursor(notification_id=7, own_seq=40, stream_seq=42), Guard(ORG)
    first, second, third = (guard.headers(cursor, offset) for offset in range(3))
    assert first == {"Nats-Expected-Last-Subject-Sequence": "40", "Nats-Expected-Last-Subject-Sequence-Subject": ORG}
    assert second["Nats-Expected-Last-Subject-Sequence"] == "43"  # the first one lands at 43
    assert third["Nats-Expected-Last-Subject-Sequence"] == "44"


def test_an_empty_stream_expects_nothing_before_the_first_message() -> None:
    assert Guard(ORG).headers(Cursor(0, 0, 0), 0)["Nats-Expected-Last-Subject-Sequence"] == "0"
    assert Guard(None).headers(Cursor(0, 0, 0), 0) == {"Nats-Expected-Last-Sequence": "0"}


def test_stream_wide_checks_follow_the_streams_last_sequence() -> None:
    cursor = Cursor(notification_id=7, own_seq=42, stream_seq=42)
    assert [Guard(None).headers(cursor, offset) for offset in range(2)] == [
        {"Nats-Expected-Last-Sequence": "42"}, {"Nats-Expected-Last-Sequence": "43"}]


def test_a_stream_filled_from_another_store_is_refused() -> None:
    end = StreamEnd(Cursor(5, 5, 5), event_id="aaaaaaaa-0000-0000-0000-000000000000")
    with pytest.raises(StreamMismatch, match="another event store"):
        check_end(end, "bbbbbbbb-0000-0000-0000-000000000000", Position(5, 5), "CAMKET_EVENTS")
    with pytest.raises(StreamMismatch, match="no event"):
        check_end(end, None, None, "CAMKET_EVENTS")


def test_a_stream_that_lost_its_tail_is_reported_and_resumed_from_its_end(caplog: pytest.LogCaptureFixture) -> None:
    end = StreamEnd(Cursor(5, 5, 5), event_id="same")
    with caplog.at_level(logging.INFO):
        check_end(end, "same", Position(9, 9), "CAMKET_EVENTS")
        check_end(StreamEnd(Cursor(0, 0, 0), None), None, Position(9, 9), "CAMKET_EVENTS")
        check_end(end, "same", Position(3, 3), "CAMKET_EVENTS")
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING", "INFO"]
    assert "republishing from 6" in caplog.records[0].message
    assert "republishing from 1" in caplog.records[1].message
    assert "resuming after it" in caplog.records[2].message
