"""The one table of what free text may hold (shared.text) and how stored text is made storable
(shared.storable). Pure."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from shared.storable import storable, storable_value
from shared.stream_consumer.parking import message_specific
from shared.stream_consumer.protocol import Reposition
from shared.text import UnsafeText, clean_line, clean_long

# (text, accepted on one line, accepted in long text, the stored form when accepted)
GOLDEN = [
    ("Hoàn thành đúng hạn", True, True, "Hoàn thành đúng hạn"),
    ("Hoa\u0300n thành", True, True, "Hoàn thành"),  # decomposed à → NFC
    ("=HYPERLINK(\"http://x\")", True, True, "=HYPERLINK(\"http://x\")"),  # neutralised on export, not here
    ("+1", True, True, "+1"),
    ("-xong", True, True, "-xong"),
    ("@SUM(A1)", True, True, "@SUM(A1)"),
    ("dòng 1\ndòng 2", False, True, "dòng 1\ndòng 2"),
    ("dòng 1\r\ndòng 2", False, True, "dòng 1\ndòng 2"),  # a form's line ends
    ("cột\tcột", False, True, "cột\tcột"),
    ("\t=1", False, True, "\t=1"),
    ("\r=1", False, False, None),
    ("bad\x00note", False, False, None),
    ("tab\x0bdọc", False, False, None),
    ("\x7f", False, False, None),
    ("C1 \x85", False, False, None),
    ("abc\u202edef", False, False, None),  # right-to-left override
    ("\u2066isolate\u2069", False, False, None),
    ("\ufdd0", False, False, None),
    ("\uffff", False, False, None),
    ("\U0001fffe", False, False, None),
    ("lone \ud800", False, False, None),
    ("€ 😀 chữ Hán 漢", True, True, "€ 😀 chữ Hán 漢"),
    ("\u200f RLM", True, True, "\u200f RLM"),  # a mark, not an override: legitimate in mixed scripts
]


@pytest.mark.parametrize(("text", "line", "long", "stored"), GOLDEN)
def test_free_text(text: str, line: bool, long: bool, stored: str | None) -> None:
    for clean, accepted in ((clean_line, line), (clean_long, long)):
        if accepted:
            assert clean(text) == stored
        else:
            with pytest.raises(UnsafeText, match=r"U\+[0-9A-F]{4}"):
                clean(text)


def test_the_refusal_names_the_character_and_its_position() -> None:
    with pytest.raises(UnsafeText, match=r"U\+0000 \(a control character\) at position 3"):
        clean_long("bad\x00note")


@pytest.mark.parametrize(("stored", "storable_form"), [
    ("bad\x00note", "bad\u2400note"),
    ("\x00\x00", "\u2400\u2400"),
    ("lone \ud800 \udfff", "lone \ufffd \ufffd"),
    ("\x0b\u202e\uffff=1", "\x0b\u202e\uffff=1"),  # PostgreSQL takes these: kept as they are
    ("Đạt", "Đạt"),
])
def test_what_a_consumer_stores(stored: str, storable_form: str) -> None:
    assert storable(stored) == storable_form
    assert storable_value({"note": stored, "evidence": [stored], "n": 1}) == {
        "note": storable_form, "evidence": [storable_form], "n": 1}


@pytest.mark.parametrize(("error", "parks"), [
    (psycopg.errors.UntranslatableCharacter(), True),
    (psycopg.errors.StringDataRightTruncation(), True),
    (psycopg.errors.UniqueViolation(), True),
    (psycopg.errors.ProgramLimitExceeded(), True),
    (ValueError("a handler's own error"), True),
    (KeyError("x"), True),
    (psycopg.OperationalError("server closed the connection"), False),
    (psycopg.errors.UndefinedTable(), False),  # the schema is missing: systemic, retried
    (ConnectionResetError(), False),
    (Reposition("NATS reconnected"), False),
])
def test_which_errors_may_come_from_the_message(error: Exception, parks: bool) -> None:
    assert message_specific(error) is parks


def test_a_decoded_event_is_made_storable_down_to_its_nested_values() -> None:
    from datetime import UTC, datetime

    from shared.stream_consumer.decode import decode
    from tests.unit.reporting.builders import TaskScript, message

    task = TaskScript(title="bad\x00title")
    task.registered()
    event = task.reassigned("ql-kh", datetime(2025, 5, 2, tzinfo=UTC))
    event = event.model_copy(update={"reason": "lý do\x00", "approval": event.approval.model_copy(
        update={"document": "Số\x00 1"})})
    subject, headers, data = message(event)
    assert b"\\u0000" in data  # on the wire, as the store holds it
    delivered = decode(1, subject, headers, data)
    decoded: Any = delivered.event
    assert (decoded.reason, decoded.approval.document, decoded.task.title) == (
        "lý do\u2400", "Số\u2400 1", "bad\u2400title")
    assert decoded.task.target == event.task.target  # the rest as it was
