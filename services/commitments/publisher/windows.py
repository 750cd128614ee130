"""Sending events in pipelined windows while keeping the stream gap-free and in order.

Every message carries `Nats-Expected-Last-Sequence`: the stream sequence it must directly follow.
JetStream refuses a message whose expectation does not hold, so if one message of a window is lost
(a dropped connection, a cluster leader change), every later one is refused too: the stream can
never hold event n + 1 without event n, and never out of notification order. The publisher then
reconciles with the stream's end and resumes from there. Many messages stay in flight at once,
which is where the throughput comes from, without giving up that guarantee.

(The check is stream-wide, and the events stream is shared by every organisation of a deployment:
if a second organisation's publisher writes at the very same moment, one of them sees a refusal,
reconciles and goes on. Correct, only slower, and rare at a few thousand events a year.)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from commitments.publisher.link import Ack, JetStreamLink, PublishRefused
from commitments.publisher.outgoing import Outgoing
from commitments.publisher.position import Position
from commitments.publisher.traces import end_on_ack, start_publish_span

EXPECTED_LAST_SEQUENCE = "Nats-Expected-Last-Sequence"


class OutOfStep(RuntimeError):
    """The stream answered with something other than the next sequence: reconcile before going on."""


@dataclass(frozen=True)
class Window:
    acks: list[asyncio.Future[Ack]]
    first_seq: int
    last: Position  # where the stream stands once every message of the window is acknowledged


async def send(link: JetStreamLink, batch: list[Outgoing], after: Position, stream: str) -> Window:
    """Publishes the batch right behind `after` without waiting for acknowledgements."""
    acks = []
    for i, message in enumerate(batch):
        span, headers = start_publish_span(message, stream)
        headers = {**headers, EXPECTED_LAST_SEQUENCE: str(after.stream_seq + i)}
        ack = await link.publish(message.subject, message.data, headers)
        if span is not None:
            end_on_ack(span, ack)
        acks.append(ack)
    return Window(acks, after.stream_seq + 1, Position(batch[-1].notification_id, after.stream_seq + len(batch)))


async def settle(window: Window, timeout: float) -> Position:
    """Waits for the window's acknowledgements; raises unless every message was stored, in sequence."""
    answers = await asyncio.wait_for(asyncio.gather(*window.acks, return_exceptions=True), timeout)
    for offset, answer in enumerate(answers):
        if isinstance(answer, BaseException):
            raise answer
        if answer.duplicate or answer.seq != window.first_seq + offset:
            raise OutOfStep(f"expected a new message at sequence {window.first_seq + offset}, got {answer}")
    return window.last


def is_refusal_of_order(error: BaseException) -> bool:
    """JetStream's answer when the expected last sequence does not hold (err_code 10071)."""
    return isinstance(error, PublishRefused) and error.err_code == 10071
