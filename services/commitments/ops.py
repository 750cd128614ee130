"""The commitments side of `camket status` and `camket config`: the store's end, the publisher's
position, lag and lease holder, the stream, and the sealer's lease holder, sealed size and last
checkpoint."""

from __future__ import annotations

from typing import Any

import psycopg
from nats.aio.client import Client
from nats.js.errors import NotFoundError
from psycopg import sql
from pydantic_settings import BaseSettings

from shared.ops import registry
from shared.ops.leases import PUBLISHER_KEY, SEALER_KEY, lease_holder


def register() -> None:
    registry.status_section("commitments", status)
    registry.settings_of("commitments", _commitments)
    registry.settings_of("publisher", _publisher)
    registry.settings_of("sealer", _sealer)


def _commitments() -> type[BaseSettings]:
    from commitments.config import CommitmentsSettings

    return CommitmentsSettings


def _publisher() -> type[BaseSettings]:
    from commitments.publisher.config import PublisherSettings

    return PublisherSettings


def _sealer() -> type[BaseSettings]:
    from commitments.audit.config import AuditSettings

    return AuditSettings


async def status(nc: Client | None) -> dict[str, Any]:
    from commitments.audit.adapters.schema import CHECKPOINTS, SEALS, AuditTables
    from commitments.publisher.config import PublisherSettings
    from commitments.publisher.lease import publisher_lease_name
    from commitments.publisher.position import TABLE
    from shared.subjects import Subjects

    s = PublisherSettings()
    stream = Subjects(s.org, s.subject_prefix).events_stream
    schema = sql.Identifier(s.db_schema)
    async with await psycopg.AsyncConnection.connect(s.database_url, autocommit=True, connect_timeout=5) as conn:
        last = await _one(conn, sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {}.commitments_events"
                                        ).format(schema))
        position = await _row(conn, sql.SQL("SELECT notification_id, stream_seq, updated_at FROM {}.{} "
                                            "WHERE stream = %s").format(schema, sql.Identifier(TABLE)), [stream])
        sealed = await _row(conn, sql.SQL("SELECT count(*), coalesce(max(notification_id), 0) FROM {}.{}").format(
            schema, sql.Identifier(SEALS)))
        checkpoint = await _row(conn, sql.SQL("SELECT tree_size, issued_at FROM {}.{} ORDER BY tree_size DESC "
                                              "LIMIT 1").format(schema, sql.Identifier(CHECKPOINTS)))
        publisher_lease = await lease_holder(conn, PUBLISHER_KEY, publisher_lease_name(stream))
        sealer_lease = await lease_holder(conn, SEALER_KEY, AuditTables(s.db_schema).log_name)
    published = int(position[0]) if position else 0
    return {
        "store": {"schema": s.db_schema, "last_notification_id": last},
        "publisher": {"stream": stream, "published_notification_id": published,
                      "recorded_at": position[2].isoformat() if position else None,
                      "lag_events": max((last or 0) - published, 0),
                      "lease": publisher_lease.as_dict() if publisher_lease else "nobody (no publisher running)"},
        "stream": await _stream(nc, stream),
        "sealer": {"sealed_events": int(sealed[0]) if sealed else 0,
                   "lag_events": max((last or 0) - (int(sealed[1]) if sealed else 0), 0),
                   "last_checkpoint": {"tree_size": checkpoint[0], "issued_at": checkpoint[1].isoformat()}
                   if checkpoint else None,
                   "lease": sealer_lease.as_dict() if sealer_lease else "nobody (no sealer running)"},
    }


async def _stream(nc: Client | None, stream: str) -> dict[str, Any] | str:
    if nc is None:
        return "NATS unreachable"
    try:
        info = await nc.jetstream().stream_info(stream)
    except NotFoundError:
        return "not created yet"
    cluster = info.cluster
    return {"name": stream, "messages": info.state.messages, "last_seq": info.state.last_seq,
            "replicas": info.config.num_replicas, "leader": cluster.leader if cluster else None}


async def _one(conn: psycopg.AsyncConnection[Any], query: sql.Composed) -> int | None:
    row = await _row(conn, query)
    return int(row[0]) if row else None


async def _row(conn: psycopg.AsyncConnection[Any], query: sql.Composed, args: list[Any] | None = None
               ) -> tuple[Any, ...] | None:
    """The first row, or None — also when the table is not there yet (that part never ran)."""
    try:
        async with conn.transaction():
            return await (await conn.execute(query, args)).fetchone()
    except psycopg.errors.UndefinedTable:
        return None
