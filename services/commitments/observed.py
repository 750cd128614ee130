"""What the commitments processes export to Prometheus beyond HTTP: the store's end (for the
publisher's and the sealer's lag) and the last audit verification's result."""

from __future__ import annotations

import psycopg
from prometheus_client import Gauge
from psycopg.sql import SQL, Identifier

from commitments.application.service import CommitmentsApp

VERIFICATION_OK = Gauge("camket_audit_last_verification_ok",
                        "1 if the last audit verification in this process found the log intact, 0 if not")
VERIFICATION_AT = Gauge("camket_audit_last_verification_timestamp_seconds",
                        "when the last audit verification in this process ended (Unix time)")


def record_verification(ok: bool) -> None:
    VERIFICATION_OK.set(1 if ok else 0)
    VERIFICATION_AT.set_to_current_time()


async def store_last_id(url: str, schema: str) -> int:
    """The notification id of the store's last event (0: none yet)."""
    query = SQL("SELECT coalesce(max(notification_id), 0) FROM {}.{}").format(
        Identifier(schema), Identifier(f"{CommitmentsApp.name}_events"))
    async with await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=2) as conn:
        cur = await conn.execute(query)
        row = await cur.fetchone()
    return int(row[0]) if row else 0
