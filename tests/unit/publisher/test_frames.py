"""The publisher's prepared frames are, byte for byte, what nats-py's own publish sends for the same
subject, reply, headers and data (its framing captured from a real Client, no server needed)."""

from __future__ import annotations

import asyncio

import pytest
from nats.aio.client import Client
from nats.errors import BadHeaderError, BadSubjectError

from commitments.publisher.frames import header_block, header_lines, hpub, parse_block
from commitments.publisher.windows import Cursor, Guard
from tests.unit.publisher.conftest import SUBJECTS


def nats_py_frame(subject: str, reply: str, headers: dict[str, str], data: bytes) -> bytes:
    sent: list[bytes] = []
    client = Client()

    async def capture(cmd: bytes, priority: bool = False) -> None:
        sent.append(cmd)

    client._send_command = capture  # type: ignore[method-assign]
    asyncio.run(client._send_publish(subject, reply, data, len(data), headers))
    assert len(sent) == 1
    return sent[0]


ENVELOPE = {"ce-specversion": "1.0", "ce-id": "0b79c0a1-8835-59a6-ad29-4b57e30c6dd2", "ce-source": "/camket/qt/x",
            "ce-type": "vn.camket.task.ProgressReported.v1", "ce-time": "2025-06-02T06:00:00.123Z",
            "content-type": "application/json", "Nats-Msg-Id": "0b79c0a1", "ce-sequence": "7"}
DATA = '{"note":"Báo cáo\\u0000 quý"}'.encode()


@pytest.mark.parametrize("reply", ["", "_INBOX.abc.17"])
@pytest.mark.parametrize("guard", [Guard(SUBJECTS.org_task_events), Guard(None)])
def test_a_window_message_is_framed_as_nats_py_frames_it(reply: str, guard: Guard) -> None:
    cursor, trace = Cursor(40, 12, 45), {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    for offset in (0, 3):
        ours = hpub("camket.v1.qt.events.vp.ProgressReported", reply,
                    header_block(ENVELOPE) + header_lines(trace) + guard.lines(cursor, offset), DATA)
        theirs = nats_py_frame("camket.v1.qt.events.vp.ProgressReported", reply,
                               ENVELOPE | trace | guard.headers(cursor, offset), DATA)
        assert ours == theirs


def test_header_values_are_trimmed_and_kept_on_one_line_and_empty_keys_skipped() -> None:
    odd = {"ce-subject": "  a\r\nb\nc  ", " ": "skipped", "x-empty": ""}
    assert hpub("s", "", header_block(odd), b"") == nats_py_frame("s", "", odd, b"")
    assert parse_block(header_block(ENVELOPE)) == ENVELOPE


def test_what_nats_py_refuses_is_refused() -> None:
    with pytest.raises(BadHeaderError):
        header_block({"bad key": "v"})
    for subject, reply in (("", ""), ("a b", ""), ("a\r\nPUB x 1", ""), ("a", "in box")):
        with pytest.raises(BadSubjectError):
            hpub(subject, reply, header_block(ENVELOPE), DATA)
