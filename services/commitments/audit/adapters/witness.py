"""Checkpoints on NATS: the sealer publishes each one; other systems keep copies (they are the witnesses).

A checkpoint travels as a CloudEvent (binary mode) whose data is the signed document; its id (also the
Nats-Msg-Id) names the log and the tree size, so a re-sent checkpoint is dropped as a duplicate. The
audit stream refuses deletes and purges, so a database administrator cannot take a checkpoint back.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence

from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.encoding import EncodingError, canonical_json
from shared.envelope import CloudEvent
from shared.messaging import connect, ensure_stream, stream_config
from shared.subjects import Subjects

log = logging.getLogger(__name__)
EVENT_TYPE = "camket.audit.checkpoint.v1"


def checkpoint_event(signed: SignedCheckpoint) -> CloudEvent:
    body = signed.checkpoint
    return CloudEvent(id=f"{body.log}#{body.tree_size}", source=f"urn:camket:{body.org}:audit", type=EVENT_TYPE,
                      time=body.issued_at, subject=body.log, data=canonical_json(signed.document()))


async def ensure_audit_stream(js: JetStreamContext, subjects: Subjects, replicas: int = 1) -> None:
    await ensure_stream(js, stream_config(subjects.audit_stream, [subjects.all_checkpoints], replicas))


async def publish(js: JetStreamContext, subjects: Subjects, checkpoints: Sequence[SignedCheckpoint]) -> int:
    """Publishes in order, waiting for each acknowledgement; returns how many the stream took."""
    for signed in checkpoints:
        event = checkpoint_event(signed)
        await js.publish(subjects.checkpoints, event.data, headers=event.headers(), stream=subjects.audit_stream)
    return len(checkpoints)


async def published(js: JetStreamContext, subjects: Subjects, log_name: str,
                    idle: float = 3.0) -> list[SignedCheckpoint]:
    """Every checkpoint of this log in the audit stream, as published (signatures not yet checked).

    One ordered consumer streams the subject from its first message to the last one there when the call
    began (the server pushes them with flow control: thousands take a fraction of a second, where one
    request per message took seconds). `idle` bounds the wait for each next message, not the whole read,
    so a long stream is read whole and a server that stops answering raises TimeoutError — the caller
    must treat that as "witnesses not reachable", never as "nothing published".
    """
    try:
        end = (await js.get_last_msg(subjects.audit_stream, subjects.checkpoints)).seq or 0
    except NotFoundError:  # no stream yet, or nothing on the subject: nothing has been published
        return []
    found: list[SignedCheckpoint] = []
    sub = await js.subscribe(subjects.checkpoints, stream=subjects.audit_stream, ordered_consumer=True,
                             deliver_policy=DeliverPolicy.ALL, inactive_threshold=max(idle * 10, 30.0))
    try:
        while True:
            message = await sub.next_msg(timeout=idle)
            signed = _parse(message.data or b"")
            if signed is not None and signed.checkpoint.log == log_name:
                found.append(signed)
            if message.metadata.sequence.stream >= end:
                return found
    finally:
        await sub.unsubscribe()


def _parse(data: bytes) -> SignedCheckpoint | None:
    try:
        return SignedCheckpoint.from_document(json.loads(data))
    except (ValueError, EncodingError):
        log.warning("a message on the checkpoints subject is not a checkpoint document")
        return None


class NatsWitnesses:
    """The witnesses' copies, read from the NATS audit stream for a verification."""

    def __init__(self, nats_url: str, subjects: Subjects, log_name: str, timeout: float) -> None:
        self.nats_url, self.subjects, self.log_name, self.timeout = nats_url, subjects, log_name, timeout

    async def read(self) -> tuple[list[SignedCheckpoint] | None, str]:
        """(None, why) if NATS cannot be reached or stops answering; `timeout` bounds the connection and each
        next message, not the whole read."""
        try:
            async with asyncio.timeout(self.timeout):
                nc = await connect(self.nats_url, "camket-audit-verify", attempts=1)
        except Exception as error:
            log.warning("NATS witnesses not reachable: %s", error)
            return None, f"NATS {self.nats_url}: not reachable ({type(error).__name__})"
        try:
            found = await published(nc.jetstream(), self.subjects, self.log_name, idle=self.timeout)
        except Exception as error:
            log.warning("NATS witnesses stopped answering: %s", error)
            return None, f"NATS {self.nats_url}: stopped answering while the checkpoints were read " \
                         f"({type(error).__name__})"
        finally:
            await nc.close()
        return found, f"NATS {self.subjects.audit_stream} {self.subjects.checkpoints}: {len(found)} checkpoints"
