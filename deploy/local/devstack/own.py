"""The stack's own servers: where they live in the state dir, and how a port is chosen."""

from __future__ import annotations

from devstack import console
from devstack.config import StackConfig
from devstack.natsserver import NatsServer
from devstack.net import free_port, port_is_free
from devstack.pgcluster import PostgresCluster


def dev_cluster(config: StackConfig) -> PostgresCluster:
    """The cluster in ``<state>/pgdata``; its port is set from what runs or what was asked."""
    cluster = PostgresCluster(config.pg_data_dir, port=0, socket_dir=config.pg_socket_dir,
                              log_path=config.pg_log)
    cluster.port = cluster.running_port() or cluster.last_port() or 0
    return cluster


def dev_nats(config: StackConfig) -> NatsServer:
    """The nats-server with its store in ``<state>/nats``."""
    server = NatsServer(port=0, store_dir=config.nats_store_dir)
    server.port = server.configured_port() or 0
    return server


def choose_port(wanted: int, previous: int, what: str) -> int:
    """``wanted`` if free, else the port our server used last time, else any free port.

    Reached only when nothing usable answered on ``wanted``: if something still holds that
    port, it is not a working ``what``, and the developer should hear where we went instead.
    """
    if port_is_free(wanted):
        return wanted
    port = previous if previous and previous != wanted and port_is_free(previous) else free_port()
    console.warn(f"port {wanted} is taken by something that is not a working {what}; "
                 f"using port {port} instead")
    return port
