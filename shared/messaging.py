"""NATS connections and JetStream streams, created or updated idempotently by whoever starts first.

Streams keep everything (no age limit) on file storage, so a subscriber can replay from sequence 1;
they refuse deletes and purges of messages; duplicates (same Nats-Msg-Id) within the window are
dropped. Durability against a crash also needs the server's `sync_interval: always` (and R3 in a
cluster): see deploy/README.md.
"""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from shared.nats_auth import NatsAuth
from shared.subjects import Subjects

log = logging.getLogger(__name__)
DUPLICATE_WINDOW_SECONDS = 24 * 3600.0  # wide enough to absorb a re-send after a long outage


def servers(url: str) -> list[str]:
    """A cluster's URLs from `CAMKET_NATS_URL` (comma-separated: nats://n1:4222,nats://n2:4222):
    nats-py takes them as a list; given the whole string it would see one malformed URL."""
    return [part.strip() for part in url.split(",") if part.strip()]


async def connect(url: str, name: str, *, attempts: int | None = None, auth: NatsAuth | None = None) -> Client:
    """Connects, retrying with backoff (None = forever); the client then reconnects by itself.
    Credentials: `auth`, else CAMKET_NATS_USER/_PASSWORD[_FILE]/_CREDS_FILE (none: anonymous)."""
    options = (auth or NatsAuth()).connect_options()
    delay, tried = 0.2, 0
    while True:
        try:
            return await nats.connect(servers(url), name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5,
                                      connect_timeout=2, **options)
        except (OSError, nats.errors.NoServersError, TimeoutError) as error:
            tried += 1
            if attempts is not None and tried >= attempts:
                raise
            log.warning("NATS at %s unreachable (%s); retrying in %.1fs", url, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


def stream_config(name: str, subjects: list[str], replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=name, subjects=subjects, storage=StorageType.FILE, retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD, max_age=0, max_msgs=-1, max_bytes=-1, num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_SECONDS, deny_delete=True, deny_purge=True, allow_rollup_hdrs=False)


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    assert config.name is not None
    try:
        await js.stream_info(config.name)
    except NotFoundError:
        await js.add_stream(config)
        return
    await js.update_stream(config)


async def ensure_all_streams(js: JetStreamContext, subjects: Subjects, replicas: int = 1) -> None:
    await ensure_stream(js, stream_config(subjects.events_stream, [subjects.all_task_events], replicas))
    await ensure_stream(js, stream_config(subjects.alerts_stream, [subjects.all_alerts], replicas))
    await ensure_stream(js, stream_config(subjects.audit_stream, [subjects.all_checkpoints], replicas))
