"""``status``: what is configured, what answers, and which servers are ours."""

from __future__ import annotations

from devstack.config import StackConfig
from devstack.envfile import read_env_file
from devstack.net import redact
from devstack.own import dev_cluster, dev_nats
from devstack.probes import nats_error, postgres_error


def status_lines(config: StackConfig) -> list[str]:
    resolved = read_env_file(config.env_file) if config.env_file.exists() else {}
    db_url = resolved.get("CAMKET_DATABASE_URL", config.database_url)
    nats_url = resolved.get("CAMKET_NATS_URL", config.nats_url)
    cluster, server = dev_cluster(config), dev_nats(config)
    pg_pid, nats_pid = cluster.running_pid(), server.running_pid()
    lines = [
        f"state dir     {config.state_dir}",
        f"env file      {config.env_file if resolved else '(none yet: run ensure)'}",
        f"PostgreSQL    {redact(db_url)}: {_health(postgres_error(db_url))}",
        f"  our own     {_own(pg_pid, cluster.port, str(cluster.data_dir))}",
        f"NATS          {redact(nats_url)}: {_health(nats_error(nats_url))}",
        f"  our own     {_own(nats_pid, server.port, str(server.store_dir))}",
    ]
    return lines


def _health(error: str | None) -> str:
    return "ok" if error is None else f"NOT REACHABLE ({error})"


def _own(pid: int | None, port: int, where: str) -> str:
    if pid is None:
        return f"not running ({where})"
    return f"running, pid {pid}, 127.0.0.1:{port} ({where})"
