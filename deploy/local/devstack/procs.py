"""Process facts by pid, so that we only ever signal processes that are really ours."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        return True
    return not _is_zombie(pid)


def pid_cmdline(pid: int) -> str:
    """The command line of ``pid`` ("" when the process is gone or cannot be inspected).

    Compared against a config or data dir path before signalling: pid files outlive their
    processes, and a reused pid must never be mistaken for our server.
    """
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return raw.replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        pass
    if Path("/proc/self").exists():  # Linux: no /proc entry means no such process
        return ""
    # macOS and other systems without /proc.
    result = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True,
                            text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # Field 3, after the parenthesised command name (which may itself contain spaces).
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; True if it held."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def log_tail(path: Path, lines: int = 15) -> str:
    """The end of a server's log, for error messages that explain themselves."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
