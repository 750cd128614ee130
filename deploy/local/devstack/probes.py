"""Readiness checks that prove a server works, not merely that a port is open.

psycopg and nats-py are imported inside the functions: the CLI must start (and print its help)
even before the venv has them.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

MAINTENANCE_DB = "postgres"


def postgres_error(url: str, timeout: float = 3.0) -> str | None:
    """None when the server behind ``url`` answers ``SELECT 1``, else why not.

    The URL's database may not exist yet (we are about to create it), so this connects to the
    maintenance database, and to the URL's own only where the maintenance one is missing.
    """
    import psycopg

    try:
        _select_1(url, MAINTENANCE_DB, timeout)
    except psycopg.Error as exc:
        if f'database "{MAINTENANCE_DB}" does not exist' not in str(exc):
            return _first_line(exc)
        try:
            _select_1(url, None, timeout)
        except psycopg.Error as again:
            return _first_line(again)
    return None


def _select_1(url: str, dbname: str | None, timeout: float) -> None:
    import psycopg

    overrides: dict[str, Any] = {"connect_timeout": max(1, round(timeout))}
    if dbname:
        overrides["dbname"] = dbname
    with psycopg.connect(url, autocommit=True, **overrides) as conn:
        conn.execute("SELECT 1").fetchone()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def create_database(url: str, timeout: float = 5.0) -> bool:
    """Create the database named in ``url`` on its server if it is missing; True if created."""
    import psycopg
    from psycopg import sql

    from devstack.net import database_name

    name = database_name(url)
    with psycopg.connect(url, dbname=MAINTENANCE_DB, autocommit=True,
                         connect_timeout=max(1, round(timeout))) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found:
            return False
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:  # a concurrent ensure created it first
            return False
        return True


def nats_error(url: str, timeout: float = 3.0) -> str | None:
    """None when ``url`` is a NATS server with JetStream enabled for us, else why not."""

    def probe() -> None:
        asyncio.run(asyncio.wait_for(_jetstream_account_info(url, timeout), timeout * 2))

    try:
        if _inside_event_loop():
            # Called from async code (e.g. an async test restarting a throwaway server):
            # asyncio.run refuses to nest, so the probe gets a loop of its own in a thread.
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(probe).result()
        else:
            probe()
    except Exception as exc:  # whatever failed, the server is not usable: say why
        return f"{type(exc).__name__}: {exc}".rstrip(": ")
    return None


def _inside_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _jetstream_account_info(url: str, timeout: float) -> None:
    import nats

    errors: list[Exception] = []

    async def keep(error: Exception) -> None:
        """nats-py logs every connection error by default; we report the last one instead."""
        errors.append(error)

    servers = [part.strip() for part in url.split(",") if part.strip()]
    try:
        # max_reconnect_attempts=0 would retry forever inside connect(); 1 gives up after two
        # tries per server.
        nc = await nats.connect(servers=servers, connect_timeout=timeout, allow_reconnect=False,
                                max_reconnect_attempts=1, reconnect_time_wait=0.1,
                                error_cb=keep)
    except Exception as exc:
        raise (errors[-1] if errors else exc) from None
    try:
        await nc.jetstream(timeout=timeout).account_info()
    finally:
        await nc.close()
