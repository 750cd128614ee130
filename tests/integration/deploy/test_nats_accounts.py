"""deploy/nats/accounts.conf on a real nats-server: only the publisher publishes task events; another
provincial system (account PORTAL) replays the stream from sequence 1 through its own consumer and can
do nothing else; nobody gets in without credentials."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import nats
import nats.js.errors
import pytest
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from commitments.publisher.link import JetStreamLink
from devstack import scratch_dir
from shared.messaging import connect, ensure_all_streams
from shared.nats_auth import NatsAuth
from shared.subjects import Subjects
from tests.integration.deploy.accounts_server import AccountsServer, accounts_server
from tests.polling import eventually

SUBJECTS = Subjects(org="qt-skhcn")  # the production prefix: accounts.conf names its subjects
PORTAL_API = "JS.camket.API"  # where accounts.conf maps the imported JetStream API in PORTAL
EVENTS = 5


@pytest.fixture(scope="module")
def server() -> Iterator[AccountsServer]:
    with scratch_dir() as tmp, accounts_server(tmp) as running:
        yield running


@pytest.fixture(scope="module")
def published(server: AccountsServer) -> AccountsServer:
    """The publisher, authenticated as the code does it (CAMKET_NATS_USER + a password file), creates
    the streams and publishes EVENTS task events."""
    with scratch_dir() as tmp, pytest.MonkeyPatch.context() as env:
        secret = Path(tmp) / "nats-password"
        secret.write_text(server.passwords["publisher"] + "\n")
        env.setenv("CAMKET_NATS_USER", "publisher")
        env.setenv("CAMKET_NATS_PASSWORD_FILE", str(secret))
        asyncio.run(_publish(server.url))
    return server


async def _publish(url: str) -> None:
    link = await JetStreamLink.open(url, "camket-publisher-test")
    try:
        await ensure_all_streams(link.js, SUBJECTS)
        for n in range(1, EVENTS + 1):
            ack = await (await link.publish_acked(SUBJECTS.task_event("vp", "TaskRegistered"), b"{}",
                                                  {"Nats-Msg-Id": f"event-{n}"}))
            assert ack.seq == n
    finally:
        await link.close()


def _async(check: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def run() -> bool:
        return check()

    return run


async def _client(server: AccountsServer, user: str, errors: list[str]) -> Client:
    async def collect(error: Exception) -> None:
        errors.append(str(error))

    return await nats.connect(server.url, user=user, password=server.passwords[user], error_cb=collect,
                              allow_reconnect=False)


async def _last_seq(server: AccountsServer) -> int:
    nc = await connect(server.url, "check", attempts=1, auth=NatsAuth(user="publisher",
                                                                         password=server.passwords["publisher"]))
    try:
        return int((await nc.jetstream().stream_info(SUBJECTS.events_stream)).state.last_seq)
    finally:
        await nc.close()


async def test_a_subscriber_account_replays_the_stream_from_sequence_1(published: AccountsServer) -> None:
    errors: list[str] = []
    nc = await _client(published, "portal", errors)
    try:
        js = nc.jetstream(prefix=PORTAL_API)
        sub = await js.pull_subscribe(SUBJECTS.org_task_events, durable="portal", stream=SUBJECTS.events_stream,
                                      config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL,
                                                            ack_policy=AckPolicy.EXPLICIT))
        batch = await sub.fetch(EVENTS, timeout=5)
        assert [m.metadata.sequence.stream for m in batch] == list(range(1, EVENTS + 1))
        for msg in batch:
            await msg.ack_sync()
        assert (await js.consumer_info(SUBJECTS.events_stream, "portal")).ack_floor.stream_seq == EVENTS
        # Replay again from the first event: the system may drop its own consumer and start over.
        assert await js.delete_consumer(SUBJECTS.events_stream, "portal")
        again = await js.pull_subscribe(SUBJECTS.org_task_events, durable="portal", stream=SUBJECTS.events_stream)
        assert (await again.fetch(1, timeout=5))[0].metadata.sequence.stream == 1
    finally:
        await nc.close()
    assert errors == []


@pytest.mark.parametrize("attempt", ["publish", "purge", "delete message", "delete stream", "other consumer"])
async def test_a_subscriber_account_cannot_change_the_stream_nor_read_another_consumer(
        published: AccountsServer, attempt: str) -> None:
    before = await _last_seq(published)
    errors: list[str] = []
    nc = await _client(published, "portal", errors)
    try:
        js = nc.jetstream(prefix=PORTAL_API, timeout=1)
        actions = {
            "publish": lambda: js.publish(SUBJECTS.task_event("vp", "TaskCancelled"), b"{}"),
            "purge": lambda: js.purge_stream(SUBJECTS.events_stream),
            "delete message": lambda: js.delete_msg(SUBJECTS.events_stream, 1),
            "delete stream": lambda: js.delete_stream(SUBJECTS.events_stream),
            "other consumer": lambda: js.consumer_info(SUBJECTS.events_stream, "reporting"),
        }
        with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
            await actions[attempt]()
        # The server reports the violation asynchronously (an -ERR, then the client's error callback).
        await eventually(_async(lambda: any("permissions violation" in e for e in errors)))
    finally:
        await nc.close()
    assert await _last_seq(published) == before


async def test_a_cam_ket_reader_cannot_publish_task_events(published: AccountsServer) -> None:
    before = await _last_seq(published)
    errors: list[str] = []
    nc = await _client(published, "reporting", errors)
    try:
        js = nc.jetstream(timeout=1)
        sub = await js.pull_subscribe(SUBJECTS.all_task_events, durable="reporting", stream=SUBJECTS.events_stream)
        assert len(await sub.fetch(EVENTS, timeout=5)) == EVENTS
        with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
            await js.publish(SUBJECTS.task_event("vp", "TaskCancelled"), b"{}")
        with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
            await js.purge_stream(SUBJECTS.events_stream)
        await nc.flush()
    finally:
        await nc.close()
    assert await _last_seq(published) == before


@pytest.mark.parametrize("credentials", [{}, {"user": "portal", "password": "not-the-password"}],
                         ids=["none", "wrong password"])
async def test_a_client_without_valid_credentials_is_refused(server: AccountsServer,
                                                              credentials: dict[str, str]) -> None:
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await nats.connect(server.url, allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=2,
                           **credentials)


class _Enough(Exception):
    pass


async def test_the_subscriber_example_of_the_docs_replays_with_its_credentials(
        published: AccountsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python block of docs/subscribers.md, as written, with the PORTAL account's credentials."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "subscribers.md").read_text(encoding="utf-8")
    (example,) = [block for block in text.split("```python\n")[1:] if "async def follow" in block]
    monkeypatch.setenv("NATS_URL", published.url)
    monkeypatch.setenv("NATS_USER", "portal")
    monkeypatch.setenv("NATS_PASSWORD", published.passwords["portal"])
    namespace: dict[str, object] = {"__name__": "subscriber_example"}
    exec(compile(example.split("```")[0], "docs/subscribers.md", "exec"), namespace)  # the docs, run as written

    # Start over from the first event, as the docs say: delete the system's own consumer first.
    nc = await _client(published, "portal", [])
    with contextlib.suppress(nats.js.errors.NotFoundError):
        await nc.jetstream(prefix=PORTAL_API).delete_consumer(SUBJECTS.events_stream, "portal")
    await nc.close()

    positions: list[int] = []

    async def handle(headers: object, event: object, position: int) -> None:
        positions.append(position)
        if len(positions) == EVENTS:
            raise _Enough

    follow = namespace["follow"]
    assert callable(follow)
    with pytest.raises(_Enough):
        await asyncio.wait_for(follow(handle), timeout=30)
    assert positions == list(range(1, EVENTS + 1))
