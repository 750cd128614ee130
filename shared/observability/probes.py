"""Readiness: named checks, each answering None (fine) or why not, run together with a time limit.

A process is ready when every dependency it needs answers now: PostgreSQL and NATS reachable, each
consumer neither stalled nor parked. Liveness is only "the event loop answers": restarting a process
because its database is away would not bring the database back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from nats.aio.client import Client

Check = Callable[[], Awaitable[str | None]]  # None: fine; else the reason it is not ready
Refresh = Callable[[], Awaitable[None]]  # updates gauges that need a query, before /metrics answers
CHECK_TIMEOUT = 3.0


@dataclass
class Probes:
    service: str
    checks: dict[str, Check] = field(default_factory=dict)
    refreshers: list[Refresh] = field(default_factory=list)

    def check(self, name: str, check: Check) -> Probes:
        self.checks[name] = check
        return self

    def refresh_with(self, refresh: Refresh) -> Probes:
        self.refreshers.append(refresh)
        return self

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        names = list(self.checks)
        results = await asyncio.gather(*(_bounded(self.checks[n]) for n in names))
        verdicts = {n: r or "ok" for n, r in zip(names, results, strict=True)}
        ready = all(r is None for r in results)
        return ready, {"status": "ready" if ready else "not ready", "service": self.service, "checks": verdicts}

    async def refresh(self) -> None:
        for refresh in self.refreshers:
            try:
                await asyncio.wait_for(refresh(), CHECK_TIMEOUT)
            except Exception:  # a scrape must answer with what it has, even while PostgreSQL is away
                continue


async def _bounded(check: Check) -> str | None:
    try:
        return await asyncio.wait_for(check(), CHECK_TIMEOUT)
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT:.0f}s"
    except Exception as error:
        return f"{type(error).__name__}: {error}"


def database(url: str) -> Check:
    """PostgreSQL answers a query on a fresh connection (the pool's own could hide a dead server)."""
    async def check() -> str | None:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=2) as conn:
            await conn.execute("SELECT 1")
        return None
    return check


def nats(client: Callable[[], Client | None]) -> Check:
    """The process's own NATS connection is up and answers a PING."""
    async def check() -> str | None:
        nc = client()
        if nc is None:
            return "not connected yet"
        if not nc.is_connected:
            return "disconnected (reconnecting)"
        await nc.flush(timeout=2)
        return None
    return check


def nats_server(url: str) -> Check:
    """A NATS server answers at `url` (a short connection of its own: for processes whose own
    connection comes and goes, such as the publisher's)."""
    async def check() -> str | None:
        import nats as nats_client

        from shared.messaging import servers

        nc = await nats_client.connect(servers(url), name="camket-readiness", allow_reconnect=False, connect_timeout=2,
                                       max_reconnect_attempts=0)
        try:
            await nc.flush(timeout=2)
        finally:
            await nc.close()
        return None
    return check
