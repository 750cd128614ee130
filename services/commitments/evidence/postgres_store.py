"""Evidence bytes in PostgreSQL (the default: no extra server to run), in 1 MiB chunks.

The file row is inserted after its chunks in one transaction, so a file that can be found is whole.
Two uploads of the same bytes at once write the same rows; the second one's inserts do nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from psycopg import sql
from psycopg_pool import ConnectionPool

from commitments.evidence.model import EvidenceMissing, StoredFile
from commitments.evidence.store import CHUNK

_DDL = """
CREATE TABLE IF NOT EXISTS {files} (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{{64}}$'),
    size bigint NOT NULL CHECK (size > 0),
    media_type text NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS {chunks} (
    sha256 text NOT NULL,
    seq integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (sha256, seq));
"""


class PostgresBlobStore:
    def __init__(self, database_url: str, schema: str, pool_size: int = 2) -> None:
        self.files = sql.Identifier(schema, "evidence_files")
        self.chunks_table = sql.Identifier(schema, "evidence_chunks")
        self.pool = ConnectionPool(database_url, min_size=1, max_size=pool_size, open=True,
                                   kwargs={"autocommit": False})
        with self.pool.connection() as conn:
            conn.execute(sql.SQL(_DDL).format(files=self.files, chunks=self.chunks_table))

    def find(self, sha256: str) -> StoredFile | None:
        with self.pool.connection() as conn:
            row = conn.execute(sql.SQL("SELECT size, media_type FROM {} WHERE sha256 = %s").format(self.files),
                               (sha256,)).fetchone()
        return StoredFile(sha256, row[0], row[1]) if row else None

    def put(self, stored: StoredFile, file: BinaryIO) -> None:
        file.seek(0)
        with self.pool.connection() as conn, conn.transaction():
            insert = sql.SQL("INSERT INTO {} (sha256, seq, data) VALUES (%s, %s, %s) "
                             "ON CONFLICT DO NOTHING").format(self.chunks_table)
            seq = 0
            while block := file.read(CHUNK):
                conn.execute(insert, (stored.sha256, seq, block))
                seq += 1
            conn.execute(sql.SQL("INSERT INTO {} (sha256, size, media_type) VALUES (%s, %s, %s) "
                                 "ON CONFLICT DO NOTHING").format(self.files),
                         (stored.sha256, stored.size, stored.media_type))

    def chunks(self, sha256: str) -> Iterator[bytes]:
        if self.find(sha256) is None:
            raise EvidenceMissing(sha256)
        seq = 0
        while True:  # one chunk per query: a 20 MB file is never held by the driver at once
            with self.pool.connection() as conn:
                row = conn.execute(sql.SQL("SELECT data FROM {} WHERE sha256 = %s AND seq = %s").format(
                    self.chunks_table), (sha256, seq)).fetchone()
            if row is None:
                return
            yield bytes(row[0])
            seq += 1

    def close(self) -> None:
        self.pool.close()
