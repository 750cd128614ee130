"""One NATS connection for pipelined JetStream publishes: many messages in flight, the ones that ask
for it answered by their own future.

Two things nats-py's `publish_async` does not do the way the publisher needs:

- In nats-py 2.16 a publish the server refuses (e.g. "wrong last sequence") raises inside the
  reply callback and leaves its future pending forever. Here every reply resolves its future, so a
  refused window fails at once instead of timing out. (And only some messages ask for a reply.)
- The connection does not reconnect by itself. After a reconnect nats-py re-sends whatever it had
  buffered, behind messages that may have died with the old socket. The publisher instead opens a
  fresh link and asks the stream where it ends (see `commitments.publisher.reconcile`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from itertools import count

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg

from commitments.publisher.frames import header_block, hpub
from shared.messaging import servers
from shared.nats_auth import NatsAuth

log = logging.getLogger(__name__)
NO_RESPONDERS = "503"


class LinkLost(ConnectionError):
    """The connection closed: whatever was not yet acknowledged may or may not be stored."""


class PublishRefused(Exception):
    def __init__(self, code: int, err_code: int, description: str) -> None:
        super().__init__(f"JetStream refused the message: {description} (code {code}/{err_code})")
        self.code, self.err_code, self.description = code, err_code, description


@dataclass(frozen=True)
class Ack:
    stream: str
    seq: int
    duplicate: bool


class JetStreamLink:
    def __init__(self, nc: Client, inbox: str) -> None:
        self.nc, self.js = nc, nc.jetstream(timeout=5)
        self._inbox = inbox
        self._tokens = count()
        self._waiting: dict[str, asyncio.Future[Ack]] = {}

    @classmethod
    async def open(cls, url: str, name: str) -> JetStreamLink:
        link: JetStreamLink | None = None

        async def closed() -> None:
            if link is not None:
                link._fail_all(LinkLost("the NATS connection closed"))

        async def error(e: Exception) -> None:
            log.warning("NATS connection error: %s", e)

        nc = await nats.connect(servers(url), name=name, allow_reconnect=False, connect_timeout=2, ping_interval=10,
                                max_outstanding_pings=2, closed_cb=closed, disconnected_cb=closed, error_cb=error,
                                **NatsAuth().connect_options())
        link = cls(nc, nc.new_inbox())
        await nc.subscribe(f"{link._inbox}.*", cb=link._on_reply)
        return link

    @property
    def server_version(self) -> str:
        return str(self.nc.connected_server_version)

    def expect_ack(self) -> tuple[str, asyncio.Future[Ack]]:
        """A reply subject for one message, and the future of JetStream's answer to it (an Ack, or
        PublishRefused / LinkLost)."""
        token = str(next(self._tokens))
        future: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_observed)
        self._waiting[token] = future
        return f"{self._inbox}.{token}", future

    async def publish_acked(self, subject: str, data: bytes, headers: dict[str, str]) -> asyncio.Future[Ack]:
        """One message that asks for JetStream's answer (tools, tests; the publisher sends windows)."""
        reply, ack = self.expect_ack()
        await self.write([self.frame(subject, reply, header_block(headers), data)])
        return ack

    def frame(self, subject: str, reply: str, header_block: bytes, data: bytes) -> bytes:
        """A message as nats-py's `publish(subject, data, reply, headers)` would frame it (see `frames`)."""
        if len(data) > self.nc.max_payload:
            raise nats.errors.MaxPayloadError(f"{len(data)} bytes for {subject}")
        return hpub(subject, reply, header_block, data)

    async def write(self, frames: list[bytes]) -> None:
        """Sends the frames in one write, as nats-py sends a publish: into its pending buffer, flushed by
        its flusher task (or at once, past its pending limit). The `_send_command` / `_flush_pending`
        pair is nats-py's own path for a publish (nats-py 2.16, pinned < 3); `tests/unit/publisher/
        test_frames.py` checks that the frames are the bytes its publish sends."""
        if self.nc.is_closed:
            raise LinkLost("the NATS connection is closed")
        nc = self.nc
        await nc._send_command(b"".join(frames))
        nc.stats["out_msgs"] += len(frames)
        if nc._flush_queue is not None and nc._flush_queue.empty():
            await nc._flush_pending()

    def supports_subject_expectations(self) -> bool:
        """`Nats-Expected-Last-Subject-Sequence-Subject` came with NATS 2.11."""
        version = self.nc.connected_server_version
        return (version.major, version.minor) >= (2, 11)

    async def close(self) -> None:
        self._fail_all(LinkLost("the link was closed"))
        if not self.nc.is_closed:
            try:
                await asyncio.wait_for(self.nc.close(), 5)
            except (TimeoutError, OSError, nats.errors.Error) as error:
                log.debug("closing the NATS connection: %s", error)

    async def _on_reply(self, msg: Msg) -> None:
        future = self._waiting.pop(msg.subject.rsplit(".", 1)[-1], None)
        if future is None or future.done():
            return
        if msg.headers and msg.headers.get("Status") == NO_RESPONDERS:
            future.set_exception(PublishRefused(503, 0, "no stream captures this subject"))
            return
        reply = json.loads(msg.data)
        if "error" in reply:
            e = reply["error"]
            future.set_exception(PublishRefused(e.get("code", 0), e.get("err_code", 0), e.get("description", "")))
        else:
            future.set_result(Ack(reply["stream"], reply["seq"], bool(reply.get("duplicate"))))

    def _fail_all(self, error: Exception) -> None:
        waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            if not future.done():
                future.set_exception(error)


def _observed(future: asyncio.Future[Ack]) -> None:
    """Marks a failure as seen: the window it belongs to may be abandoned without awaiting it."""
    if not future.cancelled():
        future.exception()
