"""Where the publisher stands: the last notification id the stream acknowledged, per stream, kept in
the commitments schema (`commitments_publisher_positions`).

It is written only after the stream acknowledged, so it never claims more than was stored. It is
not what the publisher resumes from: the stream itself is (see `reconcile`), because the stream
may hold more (acks not yet recorded when the process died) or less (a stream that lost its tail
or was recreated). The recorded position says how far behind the publisher is, and lets it tell,
on start, what happened to the stream while it was away.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import psycopg
from psycopg.sql import SQL, Identifier

log = logging.getLogger(__name__)
TABLE = "commitments_publisher_positions"


@dataclass(frozen=True)
class Position:
    notification_id: int  # last event of this store that the stream holds
    stream_seq: int  # the stream sequence the next message must follow (0: an empty stream)


class PositionStore:
    """One short connection per call: positions are written a few times a second at most (coalesced)."""

    def __init__(self, database_url: str, schema: str, stream: str) -> None:
        self._url, self.stream = database_url, stream
        name = SQL("{}.{}").format(Identifier(schema), Identifier(TABLE))
        self._create = SQL("CREATE SCHEMA IF NOT EXISTS {}; CREATE TABLE IF NOT EXISTS {} (stream text PRIMARY KEY, "
                           "notification_id bigint NOT NULL, stream_seq bigint NOT NULL, "
                           "updated_at timestamptz NOT NULL DEFAULT now())").format(Identifier(schema), name)
        self._select = SQL("SELECT notification_id, stream_seq FROM {} WHERE stream = %s").format(name)
        self._upsert = SQL("INSERT INTO {} VALUES (%s, %s, %s, now()) ON CONFLICT (stream) DO UPDATE "
                           "SET notification_id = EXCLUDED.notification_id, stream_seq = EXCLUDED.stream_seq, "
                           "updated_at = now()").format(name)

    def create_table(self) -> None:
        with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(self._create)

    def load(self) -> Position | None:
        with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
            row = conn.execute(self._select, (self.stream,)).fetchone()
        return Position(row[0], row[1]) if row else None

    def record(self, position: Position) -> None:
        with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(self._upsert, (self.stream, position.notification_id, position.stream_seq))


class PositionKeeper:
    """Keeps the latest acknowledged position and writes it in the background, coalescing: the
    publishing pipeline never waits for PostgreSQL to record where it is."""

    def __init__(self, store: PositionStore) -> None:
        self.store = store
        self.published = Position(0, 0)
        self.moved = asyncio.Event()  # set whenever `published` moves (tests and benchmarks wait on it)
        self._unrecorded = asyncio.Event()
        self._recorded: Position | None = None

    def advance(self, position: Position) -> None:
        self.published = position
        self.moved.set()
        self._unrecorded.set()

    async def record_forever(self) -> None:
        while True:
            await self._unrecorded.wait()
            self._unrecorded.clear()
            try:
                await asyncio.to_thread(self.record_latest)
            except psycopg.Error as error:
                log.warning("could not record the publisher's position (%s); retrying", error)
                self._unrecorded.set()
                await asyncio.sleep(1.0)

    def record_latest(self) -> None:
        position = self.published
        if position != self._recorded:
            self.store.record(position)
            self._recorded = position
