"""ensure for NATS: use a working server, else start our own with JetStream and sync always."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nats
import pytest

from devstack.config import StackConfig
from devstack.ensure import ensure_nats, stop_own
from devstack.natsserver import NatsServer
from devstack.net import url_port
from devstack.own import dev_nats
from devstack.probes import nats_error
from devstack.procs import pid_alive

pytestmark = pytest.mark.integration

MakeConfig = Callable[..., StackConfig]


def test_a_working_server_is_used_and_nothing_started(make_config: MakeConfig,
                                                      system_nats: str) -> None:
    config = make_config(nats_url=system_nats)

    url, started = ensure_nats(config)

    assert (url, started) == (system_nats, False)
    assert dev_nats(config).running_pid() is None
    assert stop_own(config) == []
    assert nats_error(system_nats) is None, "stop must leave a server it did not start alone"


def test_unreachable_url_starts_our_own_on_that_port(make_config: MakeConfig) -> None:
    config = make_config()
    wanted = url_port(config.nats_url, 4222)

    url, started = ensure_nats(config)

    assert started
    assert url == f"nats://127.0.0.1:{wanted}"
    assert nats_error(url) is None
    server = dev_nats(config)
    assert server.store_dir == config.state_dir / "nats"
    assert "sync_interval: always" in server.config_path.read_text()
    assert (server.store_dir / "jetstream").is_dir()


def test_ensure_is_idempotent(make_config: MakeConfig) -> None:
    config = make_config()
    first_url, _ = ensure_nats(config)
    pid = dev_nats(config).running_pid()

    again_url, started = ensure_nats(config)

    assert (again_url, started) == (first_url, False)
    assert dev_nats(config).running_pid() == pid


def test_port_held_by_something_else_moves_to_a_free_port(make_config: MakeConfig,
                                                           squatter: int) -> None:
    config = make_config(nats_url=f"nats://127.0.0.1:{squatter}")

    url, started = ensure_nats(config)

    assert started
    assert url_port(url, 0) != squatter
    assert nats_error(url) is None
    # Next time the squatter is still there: our running server is found, not a third port.
    assert ensure_nats(config) == (url, False)


def test_stop_stops_only_our_server(make_config: MakeConfig) -> None:
    config = make_config()
    url, _ = ensure_nats(config)
    pid = dev_nats(config).running_pid()
    assert pid is not None

    assert stop_own(config) == ["nats"]

    assert not pid_alive(pid)
    assert nats_error(url) is not None
    assert stop_own(config) == []


def test_after_a_stop_our_server_returns_to_its_previous_port(make_config: MakeConfig,
                                                              squatter: int) -> None:
    config = make_config(nats_url=f"nats://127.0.0.1:{squatter}")
    url, _ = ensure_nats(config)
    stop_own(config)

    # Same squatter, so not the configured port: the one used before keeps URLs stable.
    assert ensure_nats(config) == (url, True)


async def test_throwaway_server_keeps_acknowledged_messages_across_a_kill(state_dir: Path) -> None:
    # An async test on purpose: start() must work inside a running event loop too.
    server = NatsServer(store_dir=state_dir / "throwaway").start()
    try:
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        await js.add_stream(name="DURABLE", subjects=["durable.>"])
        ack = await js.publish("durable.one", b"kept")
        await nc.close()
        assert ack.seq == 1

        server.kill()
        assert nats_error(server.url, 1.0) is not None
        server.start()

        nc = await nats.connect(server.url)
        info = await nc.jetstream().stream_info("DURABLE")
        await nc.close()
        assert info.state.messages == 1
    finally:
        server.stop()
