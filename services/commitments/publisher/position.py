"""Where the publisher stands: the last notification id the stream acknowledged, per stream, kept in
the commitments schema (`commitments_publisher_positions`).

It is written only after the stream acknowledged, so it never claims more than was stored. It is
not what the publisher resumes from: the stream itself is (see `reconcile`), because the stream
may hold more (acks not yet recorded when the process died) or less (a stream that lost its tail
or was recreated). The recorded position says how far behind the publisher is (`lag`) and lets
the publisher tell, on start, what happened to the stream while it was away.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Identifier


@dataclass(frozen=True)
class Position:
    notification_id: int  # last event of this store that the stream holds
    stream_seq: int  # its sequence number in the stream (0: the stream holds none)


class PositionStore:
    def __init__(self, datastore: PostgresDatastore, stream: str, table: str = "commitments_publisher_positions"
                 ) -> None:
        self._datastore, self.stream = datastore, stream
        name = SQL("{}.{}").format(Identifier(datastore.schema), Identifier(table))
        self._create = SQL("CREATE TABLE IF NOT EXISTS {} (stream text PRIMARY KEY, notification_id bigint NOT NULL, "
                           "stream_seq bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())").format(name)
        self._select = SQL("SELECT notification_id, stream_seq FROM {} WHERE stream = %s").format(name)
        self._upsert = SQL("INSERT INTO {} AS p VALUES (%s, %s, %s, now()) ON CONFLICT (stream) DO UPDATE "
                           "SET notification_id = EXCLUDED.notification_id, stream_seq = EXCLUDED.stream_seq, "
                           "updated_at = now()").format(name)

    def create_table(self) -> None:
        with self._datastore.get_connection() as conn:
            conn.execute(self._create)

    def load(self) -> Position | None:
        with self._datastore.get_connection() as conn:
            row = conn.execute(self._select, (self.stream,)).fetchone()
        return Position(row["notification_id"], row["stream_seq"]) if row else None

    def record(self, position: Position) -> None:
        with self._datastore.get_connection() as conn:
            conn.execute(self._upsert, (self.stream, position.notification_id, position.stream_seq))
