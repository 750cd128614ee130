"""ensure for PostgreSQL: use a working server, else start our own cluster; databases exist."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from devstack import PostgresCluster
from devstack.config import StackConfig
from devstack.ensure import ensure_postgres, stop_own
from devstack.net import url_port
from devstack.own import dev_cluster
from devstack.pgcluster import StopMode
from devstack.probes import postgres_error
from devstack.procs import pid_alive

pytestmark = pytest.mark.integration

MakeConfig = Callable[..., StackConfig]


def databases(url: str) -> set[str]:
    with psycopg.connect(url, dbname="postgres") as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_a_working_server_is_used_and_gets_the_databases(make_config: MakeConfig,
                                                         system_postgres: str) -> None:
    name = f"devstack_{uuid.uuid4().hex[:8]}"
    base = system_postgres.rsplit("/", 1)[0]
    config = make_config(database_url=f"{base}/{name}", test_database_url=f"{base}/{name}_test")
    try:
        url, test_url, started = ensure_postgres(config)

        assert (url, test_url, started) == (config.database_url, config.test_database_url, False)
        assert {name, f"{name}_test"} <= databases(system_postgres)
        assert dev_cluster(config).running_pid() is None
        assert stop_own(config) == []
        assert postgres_error(system_postgres) is None
    finally:
        with psycopg.connect(system_postgres, autocommit=True) as conn:
            for db in (name, f"{name}_test"):
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db)))


def test_unreachable_url_starts_our_own_cluster_with_both_databases(
        make_config: MakeConfig) -> None:
    config = make_config()
    wanted = url_port(config.database_url, 5432)

    url, test_url, started = ensure_postgres(config)

    assert started
    assert url == f"postgresql://postgres@127.0.0.1:{wanted}/camket"
    assert test_url == f"postgresql://postgres@127.0.0.1:{wanted}/camket_test"
    assert {"camket", "camket_test"} <= databases(url)
    cluster = dev_cluster(config)
    assert cluster.data_dir == config.state_dir / "pgdata"
    assert cluster.socket_dir == config.state_dir / "pgsocket"
    assert list(cluster.socket_dir.glob(".s.PGSQL.*")), "the unix socket lives in the state dir"


def test_ensure_is_idempotent_and_keeps_data(make_config: MakeConfig) -> None:
    config = make_config()
    url, _, _ = ensure_postgres(config)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (n int)")
    pid = dev_cluster(config).running_pid()

    assert ensure_postgres(config)[2] is False
    assert dev_cluster(config).running_pid() == pid

    stop_own(config)
    assert ensure_postgres(config)[2] is True, "a stopped cluster is started again"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM kept").fetchone() == (0,)


def test_port_held_by_something_else_moves_to_a_free_port(make_config: MakeConfig,
                                                           squatter: int) -> None:
    config = make_config(database_url=f"postgresql://postgres@127.0.0.1:{squatter}/camket",
                         test_database_url=f"postgresql://postgres@127.0.0.1:{squatter}/t")

    url, test_url, started = ensure_postgres(config)

    assert started
    assert url_port(url, 0) == url_port(test_url, 0) != squatter
    assert {"camket", "t"} <= databases(url)


def test_stop_stops_only_our_cluster(make_config: MakeConfig) -> None:
    config = make_config()
    url, _, _ = ensure_postgres(config)
    pid = dev_cluster(config).running_pid()
    assert pid is not None

    assert stop_own(config) == ["postgres"]

    assert not pid_alive(pid)
    assert postgres_error(url) is not None
    assert stop_own(config) == []


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_throwaway_cluster_survives_a_stop(state_dir: Path, mode: StopMode) -> None:
    cluster = PostgresCluster(state_dir / "throwaway").start()
    try:
        url = cluster.create_database("orders")
        assert cluster.create_database("orders") == url, "create_database is idempotent"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (n int); INSERT INTO t VALUES (1)")

        cluster.stop(mode)
        assert postgres_error(url) is not None
        cluster.start()

        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT n FROM t").fetchall() == [(1,)]
        cluster.restart()
        assert postgres_error(url) is None
    finally:
        cluster.stop()


def test_a_lock_file_whose_pid_now_belongs_to_another_program_is_ignored(state_dir: Path) -> None:
    # After a reboot, postmaster.pid may name a pid that some other process has since taken.
    cluster = PostgresCluster(state_dir / "rebooted").start()
    lock = cluster.data_dir / "postmaster.pid"
    saved = lock.read_text().splitlines()
    cluster.stop()
    lock.write_text("\n".join([str(os.getpid()), *saved[1:]]) + "\n")

    try:
        cluster.start()
        assert cluster.running_pid() not in (None, os.getpid())
    finally:
        cluster.stop()
