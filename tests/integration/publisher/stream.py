"""Reading back what a stream holds, and checking it against the event store."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from commitments.application.service import CommitmentsApp
from commitments.integration.translator import event_id
from shared.contracts.v1 import parse_task_event
from shared.envelope import CloudEvent, task_event_type
from shared.subjects import Subjects


@dataclass(frozen=True)
class Stored:
    seq: int
    subject: str
    headers: dict[str, str]
    data: bytes


async def read_stream(js: JetStreamContext, stream: str, timeout: float = 30.0) -> list[Stored]:
    """Every message of the stream, in stream order (an ordered consumer from the first)."""
    expected = (await js.stream_info(stream)).state.messages
    got: list[Stored] = []
    done = asyncio.Event()

    async def received(msg: Any) -> None:
        got.append(Stored(msg.metadata.sequence.stream, msg.subject, dict(msg.headers or {}), msg.data))
        if len(got) >= expected:
            done.set()

    if expected == 0:
        return []
    info = await js.stream_info(stream)
    sub = await js.subscribe(info.config.subjects[0], ordered_consumer=True, cb=received, stream=stream)
    try:
        await asyncio.wait_for(done.wait(), timeout)
    finally:
        await sub.unsubscribe()
    return got


def store_event_ids(app: CommitmentsApp) -> list[tuple[int, str]]:
    """(notification id, public event id) of every stored event, in notification order."""
    out: list[tuple[int, str]] = []
    last = 0
    while batch := app.recorder.select_notifications(last, 1000, inclusive_of_start=False):
        out += [(n.id, str(event_id(n.originator_id, n.originator_version))) for n in batch]
        last = batch[-1].id
    return out


def assert_exactly_once_in_order(messages: list[Stored], app: CommitmentsApp) -> None:
    """The stream holds every stored event once, in notification order (the strongest check: equality)."""
    on_stream = [(int(m.headers["ce-sequence"]), m.headers["ce-id"]) for m in messages]
    in_store = store_event_ids(app)
    assert len(on_stream) == len(set(on_stream)), "an event is on the stream twice"
    assert on_stream == in_store, _difference(on_stream, in_store)


def assert_valid_cloudevents(messages: list[Stored], subjects: Subjects) -> None:
    for m in messages:
        event = CloudEvent.from_message(m.headers, m.data)
        contract = parse_task_event(m.data)
        event_type = type(contract).model_fields["type"].default
        assert m.headers["Nats-Msg-Id"] == event.id == str(contract.event_id)
        assert event.type == task_event_type(event_type) and event.subject == str(contract.task_id)
        assert m.subject == subjects.task_event(contract.unit, event_type)
        assert event.time == contract.recorded_at and m.headers["content-type"] == "application/json"


def _difference(on_stream: list[tuple[int, str]], in_store: list[tuple[int, str]]) -> str:
    missing = sorted(set(in_store) - set(on_stream))[:5]
    extra = sorted(set(on_stream) - set(in_store))[:5]
    first = next((i for i, (a, b) in enumerate(zip(on_stream, in_store, strict=False)) if a != b), None)
    return (f"stream {len(on_stream)} events, store {len(in_store)}; missing {missing}, extra {extra}, "
            f"first difference at {first}")


async def delete_streams(js: JetStreamContext, subjects: Subjects) -> None:
    for name in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
        with contextlib.suppress(NotFoundError):
            await js.delete_stream(name)


async def last_published(js: JetStreamContext, subjects: Subjects) -> int:
    """The notification id of this organisation's last event on the stream (0 if none, or no stream)."""
    try:
        last = await js.get_last_msg(subjects.events_stream, subjects.org_task_events)
    except NotFoundError:
        return 0
    return int((last.headers or {})["ce-sequence"])


async def wait_until_published(js: JetStreamContext, subjects: Subjects, notification_id: int,
                               timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while await last_published(js, subjects) < notification_id:
            await asyncio.sleep(0.05)
