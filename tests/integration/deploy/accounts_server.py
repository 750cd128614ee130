"""A throwaway nats-server running deploy/nats/accounts.conf as shipped, on free loopback ports.

The accounts file is copied byte for byte beside the wrapper (nats-server resolves `include` relative
to the including file) and included unchanged; only what differs per machine (ports, store dir, and the
passwords the file reads from the environment) comes from the wrapper and the server's environment.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devstack import free_port
from devstack.natsserver import find_nats_server

ROOT = Path(__file__).resolve().parents[3]
ACCOUNTS_CONF = ROOT / "deploy" / "nats" / "accounts.conf"
USERS = ("publisher", "reporting", "notifications", "sealer", "commitments", "portal")

WRAPPER = """listen: 127.0.0.1:{port}
http: 127.0.0.1:{http_port}
jetstream {{ store_dir: "{store}", sync_interval: always }}
include "accounts.conf"
"""


@dataclass(frozen=True)
class AccountsServer:
    url: str
    passwords: dict[str, str]
    log: Path


def _ready(http_port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nats-server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/healthz?js-enabled-only=true", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nats-server not ready after {timeout}s: {log.read_text()[-2000:]}")


@contextmanager
def accounts_server(workdir: Path) -> Iterator[AccountsServer]:
    port, http_port = free_port(), free_port()
    # nats-server parses an environment variable's value as a config value: "7f3…" would be a number,
    # so passwords start with a letter and hold only letters and digits (as deploy/secrets.sh makes them).
    passwords = {user: "k" + secrets.token_hex(16) for user in USERS}
    config, log = workdir / "server.conf", workdir / "nats.log"
    (workdir / "accounts.conf").write_bytes(ACCOUNTS_CONF.read_bytes())
    config.write_text(WRAPPER.format(port=port, http_port=http_port, store=workdir / "js"))
    env = os.environ | {f"CAMKET_NATS_{user.upper()}_PASSWORD": pw for user, pw in passwords.items()}
    with log.open("wb") as out:
        process = subprocess.Popen([find_nats_server(), "-c", str(config)], env=env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        _ready(http_port, process, log)
        yield AccountsServer(f"nats://127.0.0.1:{port}", passwords, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
