"""Both evidence backends against real servers: PostgreSQL (the default) and an S3 emulator (moto in
server mode, over HTTP): files of several chunks come back byte for byte, and bytes altered in the
store are refused on download rather than served."""

from __future__ import annotations

import hashlib
import io
import os
import socket
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from commitments.evidence.model import EvidenceCorrupted, EvidenceMissing
from commitments.evidence.postgres_store import PostgresBlobStore
from commitments.evidence.s3_store import S3BlobStore
from commitments.evidence.service import EvidenceService
from commitments.evidence.store import CHUNK, BlobStore
from tests import evidence_samples as f

BIG_PDF = f.PDF + os.urandom(2 * CHUNK + 12345)  # three chunks


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["postgres", "s3"])
def store(request: pytest.FixtureRequest, database_url: str, pg_schema: str) -> Iterator[BlobStore]:
    blob_store: BlobStore
    if request.param == "postgres":
        blob_store = PostgresBlobStore(database_url, pg_schema)
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        blob_store = S3BlobStore(f"camket-{pg_schema.replace('_', '-')}", endpoint_url=endpoint, region="us-east-1",
                                 access_key_id="test", secret_access_key="test")
        blob_store.client.create_bucket(Bucket=blob_store.bucket)  # type: ignore[attr-defined]
    yield blob_store
    blob_store.close()


def test_a_file_of_several_chunks_round_trips(store: BlobStore) -> None:
    service = EvidenceService(store, max_bytes=20 * 1024 * 1024)
    kept = service.accept("Biên bản nghiệm thu.pdf", io.BytesIO(BIG_PDF))
    assert kept.sha256 == hashlib.sha256(BIG_PDF).hexdigest()
    assert (kept.size, kept.media_type) == (len(BIG_PDF), "application/pdf")
    again = service.accept("copy.pdf", io.BytesIO(BIG_PDF))  # content-addressed: nothing new
    assert again.sha256 == kept.sha256
    stored, spool = service.open(kept.sha256)
    with spool:
        assert spool.read() == BIG_PDF
    assert stored.size == len(BIG_PDF)
    with pytest.raises(EvidenceMissing):
        service.open("f" * 64)


def test_altered_bytes_in_postgres_are_never_served(database_url: str, pg_schema: str) -> None:
    store = PostgresBlobStore(database_url, pg_schema)
    service = EvidenceService(store, max_bytes=20 * 1024 * 1024)
    kept = service.accept("bao-cao.pdf", io.BytesIO(BIG_PDF))
    with psycopg.connect(database_url, autocommit=True) as conn:  # a DBA edits one chunk
        conn.execute(sql.SQL("UPDATE {} SET data = data || '\\x00'::bytea "
                             "WHERE sha256 = %s AND seq = 1").format(sql.Identifier(pg_schema, "evidence_chunks")),
                     (kept.sha256,))
    with pytest.raises(EvidenceCorrupted):
        service.open(kept.sha256)
    store.close()
