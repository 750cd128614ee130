"""A low-latency pull loop over one JetStream consumer.

nats-py's `fetch(n)` waits for a full batch (or its timeout) once it has to linger, which adds up to
the whole timeout to an event's latency at a low rate. Here one pull request of `batch` messages is
kept outstanding; messages land in a buffer as the server sends them, `take()` wakes on the first
one and returns everything buffered, and a new request goes out as soon as the previous one is
used up or expires. Idle heartbeats tell a live request from one lost in a reconnect.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

HEARTBEAT_SECONDS = 2.0


def sequences(msg: Msg) -> tuple[int, int, int]:
    """(stream sequence, delivery sequence, messages pending) of a JetStream message, read from its
    reply subject — a few times cheaper than nats-py's Msg.metadata, per message."""
    tokens = (msg.reply or "").split(".")
    if len(tokens) == 9:  # $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<time>.<pending>
        return int(tokens[5]), int(tokens[6]), int(tokens[8])
    meta = msg.metadata  # the longer form, with domain and account: let nats-py read it
    return meta.sequence.stream, meta.sequence.consumer, meta.num_pending


class ConsumerGone(RuntimeError):
    """The server ended the consumer (deleted, or its leader moved): reposition and start again."""


class Puller:
    def __init__(self, nc: Client, stream: str, consumer: str, batch: int, expires: float = 20.0) -> None:
        self._nc, self._batch, self._expires = nc, batch, expires
        self._next_subject = f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}"
        self._buffer: deque[Msg] = deque()
        self._arrived = asyncio.Event()
        self._outstanding = 0  # messages asked for and not yet received by the current request
        self._last_activity = 0.0
        self._gone: str | None = None
        self._inbox = ""
        self._sub: Subscription | None = None

    async def open(self) -> None:
        self._inbox = self._nc.new_inbox()
        self._sub = await self._nc.subscribe(self._inbox, cb=self._on_message, pending_msgs_limit=-1,
                                             pending_bytes_limit=-1)
        await self._request()

    async def close(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None

    async def take(self, limit: int, wait: float) -> list[Msg]:
        """Everything buffered (at most `limit`), waiting up to `wait` seconds for the first."""
        if not self._buffer:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), wait)
            except TimeoutError:
                await self._revive_if_stale()
        if self._gone and not self._buffer:
            raise ConsumerGone(self._gone)
        taken = [self._buffer.popleft() for _ in range(min(limit, len(self._buffer)))]
        await self._request()
        return taken

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    async def _on_message(self, msg: Msg) -> None:
        self._last_activity = time.monotonic()
        status = msg.headers.get("Status") if msg.headers else None
        if status is None:
            self._buffer.append(msg)
            self._outstanding = max(0, self._outstanding - 1)
        elif status != "100":  # 404/408: the request ended; 409: it ended for a reason worth knowing
            self._outstanding = 0
            description = (msg.headers or {}).get("Description", "")
            if status == "409" and "Consumer Deleted" in description:
                self._gone = description
        self._arrived.set()
        await self._request()

    async def _request(self) -> None:
        """Keeps one request outstanding while the buffer has room for it."""
        if self._outstanding or self._sub is None or len(self._buffer) >= self._batch or self._gone:
            return
        self._outstanding = self._batch
        self._last_activity = time.monotonic()
        body = {"batch": self._batch, "expires": int(self._expires * 1e9),
                "idle_heartbeat": int(HEARTBEAT_SECONDS * 1e9)}
        await self._nc.publish(self._next_subject, json.dumps(body).encode(), reply=self._inbox)

    async def _revive_if_stale(self) -> None:
        """No heartbeat for a while: the request died with a connection; ask again."""
        if self._outstanding and time.monotonic() - self._last_activity > 3 * HEARTBEAT_SECONDS:
            self._outstanding = 0
            await self._request()
