"""Running a service as a real process for an end-to-end test: start, wait for health, SIGKILL, restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from shared.auth.devkeys import KEY_NAMES, ensure_key_pair, load_private_key
from shared.auth.tokens import mint_token

ROOT = Path(__file__).resolve().parents[2]
CAMKET = str(Path(sys.executable).parent / "camket")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServiceProcess:
    """`camket <args>` with its own environment; `url` is set for HTTP services."""

    def __init__(self, args: list[str], env: dict[str, str], port: int | None = None) -> None:
        self.args, self.env, self.port = args, env, port
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(env["CAMKET_STATE_DIR"]) / f"{'-'.join(args)}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> ServiceProcess:
        served = self.args[1] if self.args[0] == "serve" else None  # `serve <service>` reads CAMKET_<SERVICE>_PORT
        port = {f"CAMKET_{served.upper()}_PORT": str(self.port)} if served and self.port else {}
        env = os.environ | self.env | port
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([CAMKET, *self.args], env=env, cwd=ROOT, stdout=log, stderr=log)
        if self.port:
            self._wait_healthy(timeout)
        return self

    def kill(self) -> None:
        """SIGKILL, like a crash: no shutdown hook runs."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.args} exited early:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise TimeoutError(f"{self.args} not healthy:\n{self.log.read_text()[-3000:]}")


def prepare_state(state_dir: Path) -> None:
    for name in KEY_NAMES:
        ensure_key_pair(state_dir / "keys", name)


def token(state_dir: Path, role: str, unit: str, user: str | None = None) -> str:
    key = load_private_key(state_dir / "keys" / "jwt.pem")
    return mint_token(key, issuer="camket-dev", audience="camket", user_id=user or f"{role}.{unit}",
                      name=f"Người dùng {role}", unit=unit, roles=[role])
