"""Sending events in pipelined windows while keeping the stream gap-free and in order.

Every message says which stream sequence it must directly follow, and JetStream refuses it
otherwise. If one message of a window is lost (a dropped connection, a cluster leader change) or
refused, every later one is refused too: the stream can never hold event n + 1 without event n,
and never out of notification order. The publisher then reconciles with the stream's end and
resumes from there.

The chain also means the acceptance of a window's last message proves that every message before
it was stored, so only that one asks for an acknowledgement: one reply per window instead of one
per message, which is where the publisher gains the time it spends reading and translating.

Two forms of the check, chosen by the server's version:

- NATS ≥ 2.11: `Nats-Expected-Last-Subject-Sequence` with `…-Subject: <prefix>.v1.<org>.events.>`,
  the sequence of this organisation's last event. Other organisations' publishers may share the
  stream: their messages never satisfy nor break this organisation's chain (an interleaved one
  only makes the next message refused, and the publisher reconciles).
- Older servers: `Nats-Expected-Last-Sequence`, the stream's last sequence. Safe only while this
  organisation is the stream's only writer, which `reconcile` checks.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from opentelemetry.trace import Span

from commitments.publisher.frames import header_lines
from commitments.publisher.link import Ack, JetStreamLink
from commitments.publisher.outgoing import Outgoing
from commitments.publisher.traces import end_spans, start_publish_span

LAST_SUBJECT_SEQUENCE = "Nats-Expected-Last-Subject-Sequence"
LAST_SUBJECT_SEQUENCE_SUBJECT = "Nats-Expected-Last-Subject-Sequence-Subject"
LAST_SEQUENCE = "Nats-Expected-Last-Sequence"
_LAST_SUBJECT_SEQUENCE, _LAST_SEQUENCE = LAST_SUBJECT_SEQUENCE.encode(), LAST_SEQUENCE.encode()


class OutOfStep(RuntimeError):
    """The stream answered with something other than the expected sequence: reconcile, then go on."""


@dataclass(frozen=True)
class Cursor:
    notification_id: int  # this store's last event on the stream (0: none)
    own_seq: int  # its stream sequence (0: none)
    stream_seq: int  # the stream's last sequence, whoever wrote it


@dataclass(frozen=True)
class Guard:
    org_subjects: str | None  # the organisation's subject filter, or None for the stream-wide check

    def headers(self, cursor: Cursor, offset: int) -> dict[str, str]:
        """The expectation of the message `offset` places after `cursor` (0 = the first one)."""
        if self.org_subjects is None:
            return {LAST_SEQUENCE: str(cursor.stream_seq + offset)}
        expected = cursor.own_seq if offset == 0 else cursor.stream_seq + offset
        return {LAST_SUBJECT_SEQUENCE: str(expected), LAST_SUBJECT_SEQUENCE_SUBJECT: self.org_subjects}

    def lines(self, cursor: Cursor, offset: int) -> bytes:
        """`headers` as NATS header lines, without encoding the constant parts for every message."""
        if self.org_subjects is None:
            return b"%s: %d\r\n" % (_LAST_SEQUENCE, cursor.stream_seq + offset)
        expected = cursor.own_seq if offset == 0 else cursor.stream_seq + offset
        return b"%s: %d\r\n%s" % (_LAST_SUBJECT_SEQUENCE, expected, self._subject_line)

    @property
    def _subject_line(self) -> bytes:
        return header_lines({LAST_SUBJECT_SEQUENCE_SUBJECT: self.org_subjects or ""})


@dataclass(frozen=True)
class Window:
    ack: asyncio.Future[Ack]  # of the last message
    spans: list[Span]
    last: Cursor  # where the stream stands once the window is stored


async def send(link: JetStreamLink, batch: list[Outgoing], after: Cursor, guard: Guard, stream: str) -> Window:
    """Publishes the batch right behind `after`, asking only the last message for an acknowledgement.
    Each message's headers are its own (encoded by the reader), then its trace's, then the guard's."""
    spans, frames = [], []
    reply, ack = link.expect_ack()
    last = len(batch) - 1
    for offset, message in enumerate(batch):
        span, trace_headers = start_publish_span(message, stream)
        block = message.header_block + header_lines(trace_headers) if trace_headers else message.header_block
        frames.append(link.frame(message.subject, reply if offset == last else "",
                                 block + guard.lines(after, offset), message.data))
        if span is not None:
            spans.append(span)
    await link.write(frames)
    end = after.stream_seq + len(batch)
    return Window(ack, spans, Cursor(batch[-1].notification_id, end, end))


async def settle(window: Window, timeout: float) -> Cursor:
    """Waits for the window's acknowledgement; raises unless its last message was stored where expected."""
    try:
        ack = await asyncio.wait_for(asyncio.shield(window.ack), timeout)
        if ack.duplicate or ack.seq != window.last.own_seq:
            raise OutOfStep(f"expected a new message at sequence {window.last.own_seq}, got {ack}")
    except BaseException as error:
        end_spans(window.spans, error)
        raise
    end_spans(window.spans, None, ack.seq)
    return window.last
