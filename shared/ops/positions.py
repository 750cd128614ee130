"""Where a stream consumer stands, for `camket status`: its committed position (from its own table,
the source of truth) and its lag (messages of its subjects on the stream after that position)."""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
from nats.aio.client import Client
from nats.js.errors import NotFoundError
from psycopg import sql

from shared.stream_consumer.protocol import ConsumerOptions


async def consumer_status(database_url: str, options: ConsumerOptions, nc: Client | None) -> dict[str, Any]:
    query = sql.SQL("SELECT sequence, updated_at FROM {}.stream_positions WHERE consumer = %s").format(
        sql.Identifier(options.schema))
    held = sql.SQL("SELECT count(*) FROM {}.stream_held WHERE consumer = %s").format(sql.Identifier(options.schema))
    out: dict[str, Any] = {"consumer": options.name, "schema": options.schema, "stream": options.stream}
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        try:
            row = await (await conn.execute(query, [options.name])).fetchone()
            held_row = await (await conn.execute(held, [options.name])).fetchone()
        except psycopg.errors.UndefinedTable:
            return out | {"position": None, "note": "not installed yet"}
    position = int(row[0]) if row else 0
    out |= {"position": position, "updated_at": row[1].isoformat() if row else None,
            "held": int(held_row[0]) if held_row else 0}
    if nc is not None:
        out["lag"] = await _lag(nc, options, position)
    return out


async def _lag(nc: Client, options: ConsumerOptions, position: int) -> int | None:
    js = nc.jetstream()
    with contextlib.suppress(NotFoundError):
        info = await js.consumer_info(options.stream, options.durable_name)
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)
    try:
        last = await js.get_last_msg(options.stream, options.filter_subject)
    except NotFoundError:
        return 0
    return max(int(last.seq or 0) - position, 0)  # an upper bound: other subjects may sit in between
