"""Who holds a lease: leases are PostgreSQL advisory locks held by a session, and the session's
application_name says which process holds it (set by the holder when it connects)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo

# A bigint advisory key shows in pg_locks as classid (high half) and objid (low half), objsubid 1.
HOLDER = """
SELECT a.pid, a.application_name, coalesce(host(a.client_addr), 'local'), a.backend_start
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND ((l.classid::bigint << 32) | l.objid::bigint) = {key}
"""
PUBLISHER_KEY = "hashtextextended(%s, 0)"  # of `camket-publisher/<stream>`
SEALER_KEY = "hashtext(%s)::bigint"  # of the audit log's name


def holder_name(role: str) -> str:
    """What a lease holder calls its session (pg_stat_activity.application_name, at most 63 bytes)."""
    return f"{role} {socket.gethostname()} pid {os.getpid()}"[:63]


def named_session(database_url: str, role: str) -> str:
    """The connection string of a lease holder's session, naming it — unless its URL names it already."""
    if "application_name" in conninfo_to_dict(database_url):
        return database_url
    return make_conninfo(database_url, application_name=holder_name(role))


@dataclass(frozen=True)
class Holder:
    backend_pid: int
    application: str
    client: str
    since: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"holder": self.application or f"backend {self.backend_pid}", "client": self.client,
                "since": self.since.isoformat()}


async def lease_holder(conn: AsyncConnection[Any], key: str, name: str) -> Holder | None:
    cur = await conn.execute(HOLDER.format(key=key), [name])  # key: one of the *_KEY expressions above
    row = await cur.fetchone()
    return Holder(row[0], row[1], row[2], row[3]) if row else None
