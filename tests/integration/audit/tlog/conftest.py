"""A witness of the test's own (the tlog-witness server on a free port), the log configured to ask it, and
HTTP servers in threads for the Go verifier and the witness client to talk to."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from commitments.audit.adapters.key_files import load_public_key
from commitments.audit.adapters.tlog.witness_server import create_witness_app
from commitments.audit.config import AuditSettings
from commitments.audit.domain.tlog.cosign import Cosigner
from commitments.audit.domain.tlog.note import Verifier
from shared.auth.devkeys import ensure_key_pair
from tests.e2e.support import free_port

ORIGIN = "camket.qt-skhcn/events"


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app over real HTTP on 127.0.0.1 (uvicorn in a thread); yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@dataclass
class WitnessHandle:
    url: str
    verifier: Verifier
    log_key: Verifier
    state: Path


@pytest.fixture
def log_key(tmp_path: Path) -> Verifier:
    ensure_key_pair(tmp_path / "keys", "checkpoint")  # the same key the audit settings below find
    return Verifier(ORIGIN, load_public_key(tmp_path / "keys" / "checkpoint.pub.pem"))


@pytest.fixture
def witness(tmp_path: Path, log_key: Verifier) -> Iterator[WitnessHandle]:
    cosigner = Cosigner("thanh-tra.qt/witness", Ed25519PrivateKey.generate())
    state = tmp_path / "witness-state.json"
    with serving(create_witness_app(cosigner, [log_key], state)) as url:
        yield WitnessHandle(url, cosigner.verifier, log_key, state)


@pytest.fixture
def settings(database_url: str, nats_url: str, pg_schema: str, subject_prefix: str, tmp_path: Path,
             witness: WitnessHandle) -> AuditSettings:
    for name in ("event-signing", "checkpoint"):
        ensure_key_pair(tmp_path / "keys", name)
    return AuditSettings(database_url=database_url, nats_url=nats_url, db_schema=pg_schema,
                         subject_prefix=subject_prefix, state_dir=tmp_path, db_pool_size=4,
                         audit_witness_timeout=3.0, tlog_witnesses=f"{witness.verifier.vkey()} {witness.url}")
