"""A NATS JetStream cluster of our own on loopback ports (three nodes by default), for tests that
kill a node: each node is a NatsServer with a cluster block routing to every node."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from devstack.natsserver import NatsServer
from devstack.net import LOCALHOST, free_port

CLUSTER = """
cluster {{
  name: "{name}"
  listen: "{host}:{port}"
  routes: [{routes}]
}}
"""


class NatsCluster:
    def __init__(self, base_dir: Path | str | None = None, size: int = 3, name: str = "camket-test") -> None:
        base = Path(base_dir or tempfile.mkdtemp(prefix="camket-nats-cluster-")).resolve()
        route_ports = [free_port() for _ in range(size)]
        routes = ", ".join(f'"nats-route://{LOCALHOST}:{p}"' for p in route_ports)
        self.nodes = [NatsServer(store_dir=base / f"n{i + 1}", name=f"n{i + 1}", extra_config=CLUSTER.format(
            name=name, host=LOCALHOST, port=route_ports[i], routes=routes)) for i in range(size)]

    @property
    def url(self) -> str:
        """Every node's URL, comma-separated (the form CAMKET_NATS_URL takes for a cluster)."""
        return ",".join(node.url for node in self.nodes)

    def start(self, timeout: float = 60.0) -> NatsCluster:
        for node in self.nodes:
            node.start(wait=False)
        for node in self.nodes:
            node.wait_ready(timeout)
        return self

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def by_name(self, name: str) -> NatsServer:
        return next(node for node in self.nodes if node.name == name)

    async def stream_leader(self, stream: str) -> str:
        """The name of the node leading `stream`'s replicas (asked of any live node)."""
        import nats

        nc = await nats.connect([n.url for n in self.nodes if n.running_pid() is not None], connect_timeout=2)
        try:
            info = await nc.jetstream().stream_info(stream)
        finally:
            await nc.close()
        if info.cluster is None or info.cluster.leader is None:
            raise RuntimeError(f"{stream} has no leader now")
        return str(info.cluster.leader)

    async def wait_current(self, stream: str, replicas: int, timeout: float = 30.0) -> None:
        """Until `stream` has a leader and `replicas - 1` followers that are current."""
        import nats

        async with asyncio.timeout(timeout):
            while True:
                nc = await nats.connect([n.url for n in self.nodes if n.running_pid() is not None],
                                        connect_timeout=2)
                try:
                    info = await nc.jetstream().stream_info(stream)
                finally:
                    await nc.close()
                peers = (info.cluster.replicas or []) if info.cluster else []
                if info.cluster and info.cluster.leader and sum(1 for p in peers if p.current) == replicas - 1:
                    return
                await asyncio.sleep(0.2)
