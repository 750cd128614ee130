"""Go's reference implementation (golang.org/x/mod/sumdb/note and sumdb/tlog, Debian's packages, built
offline) opens the served checkpoint with the published key and checks inclusion and consistency proofs from
the served tiles; a one-bit change in an entry, a tile or the note, made in PostgreSQL, is rejected by it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from psycopg.sql import SQL, Identifier

from commitments.api.app import create_app
from commitments.audit.application.tlog.reading import checkpoint_note
from commitments.audit.bootstrap import LazyAudit, build_audit
from commitments.audit.config import AuditSettings
from commitments.audit.domain.tlog.checkpoint import parse_body
from commitments.audit.domain.tlog.note import Verifier
from commitments.bootstrap import build
from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import TokenVerifier, mint_token
from tests.integration.audit.conftest import AuditLog
from tests.integration.audit.tlog.conftest import serving

SOURCE = Path(__file__).parent / "gocheck"
GOPATH = "/usr/share/gocode"
PACKAGES = ("golang-go", "golang-golang-x-mod-dev")


def install_go() -> None:
    """As `make golang` does: Debian's Go and x/mod when they are missing (root only)."""
    if shutil.which("go") and Path(GOPATH, "src/golang.org/x/mod/sumdb/tlog").is_dir():
        return
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], check=False, env=env,
                      capture_output=True).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def gocheck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    install_go()
    out = tmp_path_factory.mktemp("go")
    env = os.environ | {"GO111MODULE": "off", "GOPATH": GOPATH, "GOCACHE": str(out / "cache"), "GOFLAGS": ""}
    built = subprocess.run(["go", "build", "-o", str(out / "gocheck"), "."], check=False, cwd=SOURCE, env=env,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return out / "gocheck"


@pytest.fixture
def tlog_url(log: AuditLog, settings: AuditSettings, tmp_path: Path) -> Iterator[str]:
    ensure_key_pair(tmp_path / "jwt", "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt" / "jwt.pub.pem")
    container = build(settings, app=log.writer, verifier=verifier)
    container.audit = LazyAudit.given(log.audit)
    try:
        with serving(create_app(container)) as url:
            yield f"{url}/tlog"
    finally:
        container.evidence.store.close()  # the server runs without the lifespan that closes the container


def go(binary: Path, url: str, key: Verifier, *args: str) -> str:
    done = subprocess.run([str(binary), "-url", url, "-vkey", key.vkey(), *args], check=False, capture_output=True,
                          text=True, timeout=60)
    return done.stdout.strip() + done.stderr.strip() + ("" if done.returncode == 0 else " [exit 1]")


def flip(log: AuditLog, table: str, column: str, where: str, bit: int) -> None:
    """Flips one bit of a stored value, as a superuser with the append-only triggers off."""
    log.tamper(f"UPDATE {{schema}}.{table} SET {column} = set_bit({column}, {bit}, 1 - get_bit({column}, {bit})) "
               f"WHERE {where}")


def test_go_reference_verifier_accepts_the_served_log_and_rejects_any_flipped_bit(
        log: AuditLog, gocheck: Path, tlog_url: str, log_key: Verifier, tmp_path: Path) -> None:
    log.populate(tasks=30, reports=8)  # 300 events: a full tile and a partial one at level 0
    log.checkpoint()
    store = log.audit.tlog
    old = checkpoint_note(store, log.conn)
    assert old is not None and parse_body(old.body).size == 300
    (tmp_path / "old.txt").write_text(old.text(), encoding="utf-8")
    log.populate(tasks=3, reports=2)
    log.checkpoint()
    latest = checkpoint_note(store, log.conn)
    assert latest is not None
    head = parse_body(latest.body)
    chosen = ["0", "5", "255", "256", "299", "311"]
    ok = go(gocheck, tlog_url, log_key, "-old", str(tmp_path / "old.txt"), *chosen)
    assert ok == f"ok 312 {latest.body.split(chr(10))[2]}" and head.size == 312

    flip(log, "audit_tlog_entries", "entry", "position = 5", 300)
    assert "inclusion of 5" in go(gocheck, tlog_url, log_key, "5")
    flip(log, "audit_tlog_entries", "entry", "position = 5", 300)

    flip(log, "audit_tlog_hashes", "hash", "level = 0 AND idx = 7", 3)
    assert "[exit 1]" in go(gocheck, tlog_url, log_key, "5")
    flip(log, "audit_tlog_hashes", "hash", "level = 0 AND idx = 7", 3)
    flip(log, "audit_tlog_hashes", "hash", "level = 0 AND idx = 301", 100)  # in the partial tile
    assert "[exit 1]" in go(gocheck, tlog_url, log_key, "-old", str(tmp_path / "old.txt"))
    flip(log, "audit_tlog_hashes", "hash", "level = 0 AND idx = 301", 100)

    text = log.conn.execute(SQL("SELECT note FROM {} WHERE size = 312").format(
        Identifier(log.settings.db_schema, "audit_tlog_checkpoints"))).fetchone()[0]
    at = text.index("\n", text.index("\n") + 1) + 5  # a character of the root line
    log.tamper("UPDATE {schema}.audit_tlog_checkpoints SET note = %s WHERE size = 312",
               text[:at] + chr(ord(text[at]) ^ 1) + text[at + 1:])
    assert "checkpoint:" in go(gocheck, tlog_url, log_key)
    log.tamper("UPDATE {schema}.audit_tlog_checkpoints SET note = %s WHERE size = 312", text)
    assert go(gocheck, tlog_url, log_key, *chosen).startswith("ok 312 ")


def test_the_tiles_are_cacheable_and_open_without_a_token(log: AuditLog, tlog_url: str) -> None:
    log.populate(tasks=30, reports=8)
    log.checkpoint()
    full = httpx.get(f"{tlog_url}/tile/0/000")
    assert full.status_code == 200 and len(full.content) == 256 * 32
    assert full.headers["cache-control"] == "public, max-age=31536000, immutable"
    partial = httpx.get(f"{tlog_url}/tile/0/001.p/44")
    assert partial.status_code == 200 and partial.headers["cache-control"] == "public, max-age=5"
    assert httpx.get(f"{tlog_url}/tile/0/001.p/43").status_code == 404  # not the tree's edge
    assert httpx.get(f"{tlog_url}/tile/0/001").status_code == 404  # not full yet
    entries = httpx.get(f"{tlog_url}/tile/entries/000")
    assert entries.status_code == 200 and entries.headers["content-type"] == "application/octet-stream"
    assert httpx.get(f"{tlog_url}/tile/0/0001").status_code == 404
    assert httpx.get(f"{tlog_url}/checkpoint").text.startswith("camket.qt-skhcn/events\n300\n")


def test_a_closed_log_needs_a_valid_token_of_any_role(log: AuditLog, settings: AuditSettings, tmp_path: Path) -> None:
    log.populate(tasks=1, reports=1)
    log.checkpoint()
    key_path = ensure_key_pair(tmp_path / "jwt", "jwt")
    verifier = TokenVerifier(issuer="camket-dev", audience="camket", public_key_file=tmp_path / "jwt" / "jwt.pub.pem")
    container = build(settings, app=log.writer, verifier=verifier)
    closed = settings.model_copy(update={"tlog_open": False})
    container.audit = LazyAudit.given(build_audit(closed, log.writer))
    token = mint_token(load_private_key(key_path), issuer="camket-dev", audience="camket", user_id="u", name="U",
                       unit="ql-cndmst", roles=["unit_staff"])
    try:
        with TestClient(create_app(container)) as client:
            assert client.get("/tlog/checkpoint").status_code == 401
            opened = client.get("/tlog/checkpoint", headers={"Authorization": f"Bearer {token}"})
            assert opened.status_code == 200 and opened.text.startswith("camket.qt-skhcn/events\n3\n")
    finally:
        container.audit().close()
