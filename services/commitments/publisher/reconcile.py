"""Where the stream ends, and therefore where publishing resumes.

The stream is the truth about what was published: the last message of this organisation on it
carries the notification id of the last event stored there (`ce-sequence`). Publishing resumes
right after it, so

- after a crash between the stream's ack and the recorded position, nothing is sent twice;
- a stream that lost its tail (a server crash without `sync_interval: always`) or was deleted and
  created anew gets everything it misses, from where it ends (from the first event if it is empty).

Before trusting it, the last message's id is compared with the store's event at that notification
id: a stream filled from another event store (a dev database reset while NATS kept its data) is
refused, since resuming from its end would skip this store's events.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from commitments.publisher.position import Position
from commitments.publisher.windows import Cursor
from shared.subjects import Subjects

log = logging.getLogger(__name__)


class StreamMismatch(RuntimeError):
    """The stream's last event is not this store's event at that position."""


class SharedStreamNeedsNewerServer(RuntimeError):
    """Another organisation writes to the stream, and the server cannot check one organisation's chain."""


@dataclass(frozen=True)
class StreamEnd:
    cursor: Cursor
    event_id: str | None  # ce-id of this store's last event on the stream


async def stream_end(js: JetStreamContext, stream: str, org_subjects: str) -> StreamEnd:
    info = await js.stream_info(stream)
    try:
        last = await js.get_last_msg(stream, org_subjects)
    except NotFoundError:
        return StreamEnd(Cursor(0, 0, info.state.last_seq), None)
    headers = last.headers or {}
    if "ce-sequence" not in headers:
        raise StreamMismatch(f"the last message on {stream} ({last.seq}) has no ce-sequence header")
    seq = last.seq or 0
    return StreamEnd(Cursor(int(headers["ce-sequence"]), seq, max(info.state.last_seq, seq)), headers.get("ce-id"))


async def check_sole_writer(js: JetStreamContext, stream: str, subjects: Subjects) -> None:
    """On servers before 2.11 the order check is stream-wide: refuse a stream other organisations write to."""
    info = await js.stream_info(stream, subjects_filter=subjects.all_task_events)
    own = subjects.org_task_events.removesuffix(">")
    others = sorted({s.split(".")[2] for s in (info.state.subjects or {}) if not s.startswith(own)})
    if others:
        raise SharedStreamNeedsNewerServer(
            f"{stream} also holds events of {', '.join(others)}: publishing into a shared stream needs NATS "
            f"2.11 or later (per-organisation order checks); upgrade the server or give each organisation "
            f"its own CAMKET_SUBJECT_PREFIX")


def check_end(end: StreamEnd, store_event_id: str | None, recorded: Position | None, stream: str) -> None:
    """Raises StreamMismatch if the stream was filled from another store; logs what happened while away."""
    at = end.cursor.notification_id
    if at and store_event_id != end.event_id:
        raise StreamMismatch(
            f"{stream} ends with event {end.event_id} at notification {at}, but this store has "
            f"{store_event_id or 'no event'} there: the stream was filled from another event store. Use "
            f"another CAMKET_SUBJECT_PREFIX (or remove that stream) rather than mix two stores' histories")
    done = recorded.notification_id if recorded else 0
    if at < done:
        log.warning("%s ends at notification %d but %d was published: the stream lost events (recreated, or "
                    "a crash without sync_interval: always); republishing from %d", stream, at, done, at + 1)
    elif at > done:
        log.info("%s already holds events up to notification %d (recorded: %d); resuming after it",
                 stream, at, done)
