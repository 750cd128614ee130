"""One child process of ``run``: started in its own process group, output prefixed and streamed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from typing import IO

from devstack import console
from devstack.procs import wait_until


class Child:
    """A command whose every output line is shown as ``<name> | line`` in its colour.

    With ``capture=True`` stdout is kept (see :attr:`captured`) and only stderr is shown: that is
    how a token printed by ``camket mint-token`` reaches the summary instead of the log.
    """

    def __init__(self, name: str, argv: list[str], env: Mapping[str, str], *, colour: str,
                 capture: bool = False, width: int = 14) -> None:
        self.name = name
        self.argv = argv
        self.env = dict(env)
        self.prefix = console.paint(f"{name:>{width}} |", colour, sys.stdout)
        self.capture = capture
        self.captured: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self._readers: list[threading.Thread] = []

    def start(self) -> None:
        # A process group of its own: the terminal's Ctrl-C reaches only us, and we stop the
        # children in order; signalling the group also reaches whatever the child forked.
        self.process = subprocess.Popen(
            self.argv, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if self.capture else subprocess.STDOUT,
            start_new_session=True)
        assert self.process.stdout is not None
        if self.capture:
            assert self.process.stderr is not None
            self._read(self.process.stdout, self.captured.append)
            self._read(self.process.stderr, self._show)
        else:
            self._read(self.process.stdout, self._show)

    def poll(self) -> int | None:
        return None if self.process is None else self.process.poll()

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def output(self) -> str:
        """The captured stdout, complete once the process has exited."""
        for reader in self._readers:
            reader.join(timeout=5)
        return "".join(self.captured).strip()

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to the whole group, SIGKILL what is left after ``timeout`` seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            if not wait_until(lambda: self.poll() is not None, timeout):
                console.warn(f"{self.name} ignored SIGTERM for {timeout:.0f}s; killing it")
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=5)
        # The leader may be gone while a forked worker of its group lingers.
        self._signal_group(signal.SIGKILL)
        for reader in self._readers:
            reader.join(timeout=2)

    def _signal_group(self, sig: signal.Signals) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
            os.killpg(self.process.pid, sig)

    def _read(self, stream: IO[bytes], sink: Callable[[str], None]) -> None:
        def pump() -> None:
            with stream:
                for raw in stream:
                    sink(raw.decode(errors="replace"))

        reader = threading.Thread(target=pump, name=f"{self.name}-output", daemon=True)
        reader.start()
        self._readers.append(reader)

    def _show(self, line: str) -> None:
        console.write(f"{self.prefix} {line.rstrip()}", sys.stdout)
