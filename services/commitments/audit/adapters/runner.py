"""`camket audit sealer`: the sealing process. It follows the log, checkpoints at intervals, publishes.

Sealing never waits for NATS: checkpoints are stored first and published when NATS is reachable (the
Nats-Msg-Id and the stream's latest published tree size make a re-send harmless). On SIGTERM it seals
what is there, signs a last checkpoint and tries once more to publish. A lost database connection is
retried with backoff (0.5 s doubling to 30 s), never a reason to exit. One sealer works on a log at a
time (the log's advisory lock): a second replica stands by and takes over when the first ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import eventsourcing.persistence as es
import psycopg
from nats.aio.client import Client
from nats.js import JetStreamContext

from commitments.audit.adapters import witness
from commitments.audit.adapters.store import Conn
from commitments.audit.application.sealer import Sealer, SealerLocked
from commitments.audit.config import AuditSettings
from commitments.audit.domain.checkpoints import SignedCheckpoint
from shared.messaging import connect
from shared.ops.leases import named_session
from shared.subjects import Subjects

log = logging.getLogger(__name__)
RETRY_FIRST, RETRY_MAX = 0.5, 30.0  # seconds: the backoff while the database is unreachable
# A database that went away, as psycopg says it and as the event store (the eventsourcing library,
# which reads the log) wraps it: both are waited out; other database errors are defects and end it.
TRANSIENT = (psycopg.OperationalError, psycopg.InterfaceError, es.OperationalError, es.InterfaceError)


class SealerProcess:
    def __init__(self, settings: AuditSettings, sealer: Sealer) -> None:
        self.settings, self.sealer = settings, sealer
        self.subjects = Subjects(settings.org, settings.subject_prefix)
        self.backlog: list[SignedCheckpoint] = []  # stored, not yet acknowledged by the stream
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._published = -1  # tree size of the stream's latest checkpoint of this log (-1: not read yet)
        self._last_checkpoint = time.monotonic()
        self._sessions = 0  # sessions that took the lock and rebuilt the tree
        self.retries = 0  # database errors waited out
        self.standing_by = False  # another sealer held the lock when this one last tried

    async def run(self, stop: asyncio.Event, *, once: bool = False) -> None:
        """Seals until `stop` is set. A database that goes away (a restart, a failover, a connection
        killed) is waited for with backoff, then the sealer resumes from its seal records; only what
        it cannot resolve by waiting (the seal records no longer match its checkpoint) ends it."""
        nats = asyncio.create_task(self._connect())
        delay, seen = RETRY_FIRST, 0
        try:
            while True:
                try:
                    await self._session(stop, nats, once)
                    return
                except SealerLocked:
                    if once:
                        raise  # a one-off run does not wait its turn: another sealer is doing the work
                    # A standby (a second replica, or our own dead connection's lock not yet freed):
                    # tries again at a steady pace, so it takes over within seconds of the holder's end.
                    if not self.standing_by:
                        log.info("sealer: another sealer holds the log's lock; standing by")
                    self.standing_by = True
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self.settings.audit_standby_poll_seconds)
                    if stop.is_set():
                        return
                except TRANSIENT as error:
                    if self._sessions > seen:  # the last session got going: start the backoff again
                        delay, seen = RETRY_FIRST, self._sessions
                    self.retries += 1
                    log.warning("sealer: %s: %s; reconnecting in %.1fs (retry %d)", type(error).__name__,
                                str(error).strip(), delay, self.retries)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), delay)
                    if stop.is_set():
                        return
                    delay = min(delay * 2, RETRY_MAX)
        finally:
            nats.cancel()
            if self._nc is not None:
                await self._nc.close()

    async def _session(self, stop: asyncio.Event, nats: asyncio.Task[None], once: bool) -> None:
        conn: Conn = await asyncio.to_thread(psycopg.connect, named_session(self.settings.database_url,
                                                                            "camket-sealer"), autocommit=True)
        try:
            await asyncio.to_thread(self.sealer.start, conn)
            self._sessions += 1
            self.standing_by = False
            self.backlog = await asyncio.to_thread(self._own_checkpoints, conn)
            while not stop.is_set() and not once:
                sealed = await asyncio.to_thread(self.sealer.seal_batch, conn, self.settings.audit_batch)
                if self._due():
                    await self._checkpoint(conn)
                await self._publish()
                if sealed == 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self.settings.audit_poll_seconds)
            await self._finish(conn, nats)
        finally:
            await asyncio.to_thread(conn.close)

    async def _finish(self, conn: Conn, nats: asyncio.Task[None]) -> None:
        while await asyncio.to_thread(self.sealer.seal_batch, conn, self.settings.audit_batch):
            pass
        await self._checkpoint(conn)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(nats), self.settings.audit_witness_timeout)
        await self._publish()
        if self.backlog:
            log.warning("%d checkpoints not yet published (NATS unreachable); the next run publishes them",
                        len(self.backlog))

    def _own_checkpoints(self, conn: Conn) -> list[SignedCheckpoint]:
        parsed = (c.parse() for c in self.sealer.store.checkpoints(conn))
        return [c for c in parsed if c is not None and c.verify(self.sealer.signer.ring())]

    @property
    def nc(self) -> Client | None:
        return self._nc

    @property
    def last_checkpoint(self) -> float:
        """When a checkpoint was last due and taken (time.monotonic)."""
        return self._last_checkpoint

    def _due(self) -> bool:
        pending = self.sealer.pending
        waited = time.monotonic() - self._last_checkpoint
        return pending >= self.settings.audit_checkpoint_events or (
            pending > 0 and waited >= self.settings.audit_checkpoint_seconds)

    async def _checkpoint(self, conn: Conn) -> None:
        signed = await asyncio.to_thread(self.sealer.checkpoint, conn)
        self._last_checkpoint = time.monotonic()
        if signed is not None:
            self.backlog.append(signed)
            log.info("checkpoint: %d events, root %s", signed.tree_size, signed.checkpoint.root.hex())

    async def _connect(self) -> None:
        self._nc = await connect(self.settings.nats_url, "camket-audit-sealer")
        js = self._nc.jetstream()
        await witness.ensure_audit_stream(js, self.subjects, self.settings.stream_replicas)
        self._js = js

    async def _publish(self) -> None:
        if self._js is None or not self.backlog:
            return
        try:
            if self._published < 0:
                done = await witness.published(self._js, self.subjects, self.sealer.store.log_name)
                self._published = max((c.tree_size for c in done), default=0)
            pending = [c for c in self.backlog if c.tree_size > self._published]
            await witness.publish(self._js, self.subjects, pending)
        except Exception as error:  # NATS down or slow: keep the backlog, try again next round
            log.warning("publishing checkpoints failed (%s); will retry", error)
            self._published = -1
            return
        self._published = max([self._published, *(c.tree_size for c in pending)])
        self.backlog = []
