"""``ensure``: use the configured servers when they work, otherwise start our own."""

from __future__ import annotations

from urllib.parse import urlsplit

from devstack import console
from devstack.config import Resolved, StackConfig
from devstack.envfile import write_env_file
from devstack.lock import state_lock
from devstack.net import database_name, local_url, redact, url_port
from devstack.own import choose_port, dev_cluster, dev_nats
from devstack.pgcluster import PostgresCluster
from devstack.privileges import DB_USER
from devstack.probes import create_database, nats_error, postgres_error


class EnsureError(RuntimeError):
    pass


def ensure(config: StackConfig) -> Resolved:
    """Make PostgreSQL (with both databases) and NATS JetStream available; write the env file."""
    with state_lock(config.state_dir):
        database_url, test_database_url, pg_started = ensure_postgres(config)
        nats_url, nats_started = ensure_nats(config)
        started = (("postgres",) if pg_started else ()) + (("nats",) if nats_started else ())
        resolved = Resolved(database_url, test_database_url, nats_url, started)
        write_env_file(config.env_file, resolved.environment(config))
    return resolved


def ensure_postgres(config: StackConfig) -> tuple[str, str, bool]:
    """Both database URLs, re-pointed at our own cluster where the configured server fails."""
    own: PostgresCluster | None = None
    started = False
    resolved: list[str] = []
    errors: dict[str, str | None] = {}  # per server: both URLs usually name the same one
    for url in (config.database_url, config.test_database_url):
        server = urlsplit(url).netloc
        if server not in errors:
            errors[server] = postgres_error(url)
        error = errors[server]
        if error is None:
            resolved.append(url)
            continue
        if own is None:
            own, started = _own_postgres(config, url, error)
        resolved.append(local_url(url, own.port, user=DB_USER))
    for url in resolved:
        if create_database(url):
            console.say(f"created database {database_name(url)} at {redact(url)}")
    return resolved[0], resolved[1], started


def _own_postgres(config: StackConfig, url: str, error: str) -> tuple[PostgresCluster, bool]:
    cluster = dev_cluster(config)
    if cluster.running_pid() is not None:
        # Ours from an earlier ensure, on a port other than the configured one.
        if postgres_error(cluster.url) is None:
            return cluster, False
        raise EnsureError(f"our PostgreSQL in {cluster.data_dir} runs but does not answer; "
                          f"see {cluster.log_path}, or `make stop`")
    console.say(f"PostgreSQL is not reachable at {redact(url)} ({error})")
    cluster.port = choose_port(url_port(url, 5432), cluster.port, "PostgreSQL")
    fresh = not cluster.initialised()
    console.say(f"starting our own PostgreSQL on 127.0.0.1:{cluster.port} "
                f"({'creating' if fresh else 'data in'} {cluster.data_dir})")
    cluster.start()
    return cluster, True


def ensure_nats(config: StackConfig) -> tuple[str, bool]:
    error = nats_error(config.nats_url)
    if error is None:
        return config.nats_url, False
    server = dev_nats(config)
    if server.running_pid() is not None:
        if nats_error(server.url) is None:
            return server.url, False
        raise EnsureError(f"our nats-server in {server.store_dir} runs but JetStream does not "
                          f"answer; see {server.log_path}, or `make stop`")
    console.say(f"NATS JetStream is not reachable at {redact(config.nats_url)} ({error})")
    server.port = choose_port(url_port(config.nats_url, 4222), server.port, "NATS server")
    console.say(f"starting our own nats-server on 127.0.0.1:{server.port} "
                f"(JetStream store {server.store_dir}, sync_interval always)")
    server.start()
    return server.url, True


def stop_own(config: StackConfig, only: tuple[str, ...] = ("postgres", "nats")) -> list[str]:
    """Stop the servers running from our state dir; never anything else. Returns their names."""
    stopped: list[str] = []
    with state_lock(config.state_dir):
        cluster = dev_cluster(config)
        if "postgres" in only and cluster.running_pid() is not None:
            cluster.stop("fast")
            stopped.append("postgres")
        server = dev_nats(config)
        if "nats" in only and server.running_pid() is not None:
            server.stop()
            stopped.append("nats")
    return stopped
