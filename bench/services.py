"""Starting a service (or a bare app) as a process for a benchmark, on a free port, and stopping it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def process(args: list[str], env: dict[str, str], health_url: str, timeout: float = 30) -> Iterator[None]:
    proc = subprocess.Popen(args, env=os.environ | env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{args[0]} exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                if httpx.get(health_url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{health_url} did not come up")
            time.sleep(0.2)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def camket(*args: str) -> list[str]:
    return [str(VENV_BIN / "camket"), *args]


def uvicorn_app(target: str, port: int) -> list[str]:
    return [str(VENV_BIN / "uvicorn"), target, "--port", str(port), "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning"]
