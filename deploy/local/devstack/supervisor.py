"""Brings the process table up in order, watches it, and takes it down in reverse."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from devstack import console
from devstack.children import Child
from devstack.net import LOCALHOST, port_is_free
from devstack.stack import Service, Step, Task


class StackFailure(RuntimeError):
    """Bringing the stack up failed, or a child exited on its own."""


class Supervisor:
    def __init__(self, cli: list[str], env: Mapping[str, str], state_dir: Path,
                 stopping: threading.Event) -> None:
        self.cli = cli
        self.env = env
        self.state_dir = state_dir
        self.stopping = stopping
        self.services: list[tuple[Service, Child]] = []
        self.labels: dict[str, str] = {}
        self._healthy: set[str] = set()
        self._colours = 0
        self._width = 0

    def bring_up(self, steps: tuple[Step, ...]) -> bool:
        """Start every step in order; False if asked to stop before the stack was up."""
        self._width = max(len(step.name) for step in steps)
        for step in steps:
            if self.stopping.is_set():
                return False
            if isinstance(step, Service):
                self._start_service(step)
            elif self._services_ready() and not self.stopping.is_set():
                self._run_task(step)
        return self._services_ready() and not self.stopping.is_set()

    def watch(self) -> None:
        """Block until asked to stop; a service exiting on its own is a failure."""
        while not self.stopping.wait(0.2):
            self._check_alive()

    def shutdown(self) -> None:
        for service, child in reversed(self.services):
            if child.poll() is None:
                console.say(f"stopping {service.name}")
            child.stop()

    def _start_service(self, service: Service) -> None:
        if service.port is not None and not port_is_free(service.port):
            raise StackFailure(f"port {service.port} for {service.name} is already in use "
                               "(another `make run`?)")
        child = self._child(service.name, service.args, env=service.env)
        child.start()
        self.services.append((service, child))

    def _run_task(self, task: Task) -> None:
        if task.skip_if_populated and any((self.state_dir / task.skip_if_populated).glob("*")):
            return
        child = self._child(task.name, task.args, capture=task.label is not None, env=task.env)
        child.start()
        deadline = time.monotonic() + task.timeout
        while child.poll() is None:
            self._check_alive()
            if self.stopping.wait(0.1) or time.monotonic() > deadline:
                child.stop()
                if self.stopping.is_set():
                    return
                raise StackFailure(f"{task.name} did not finish within {task.timeout:.0f}s")
        if child.poll() != 0:
            raise StackFailure(f"{task.name} failed with exit code {child.poll()}")
        if task.label is not None:
            self.labels[task.label] = child.output()

    def _services_ready(self) -> bool:
        """Wait until every started HTTP service answers its health check (or we must stop)."""
        for service, _ in self.services:
            if service.port is None or service.name in self._healthy:
                continue
            if not self._wait_healthy(service):
                return False
            self._healthy.add(service.name)
        return True

    def _wait_healthy(self, service: Service) -> bool:
        assert service.port is not None
        url = f"http://{LOCALHOST}:{service.port}{service.health}"
        deadline = time.monotonic() + service.ready_timeout
        while not self.stopping.is_set():
            self._check_alive()
            if _answers_200(url):
                return True
            if time.monotonic() > deadline:
                raise StackFailure(f"{service.name} not healthy at {url} "
                                   f"after {service.ready_timeout:.0f}s")
            self.stopping.wait(0.3)
        return False

    def _check_alive(self) -> None:
        for service, child in self.services:
            code = child.poll()
            if code is not None:
                raise StackFailure(f"{service.name} exited unexpectedly with code {code}")

    def _child(self, name: str, args: tuple[str, ...], capture: bool = False,
               env: tuple[tuple[str, str], ...] = ()) -> Child:
        colour = console.PALETTE[self._colours % len(console.PALETTE)]
        self._colours += 1
        return Child(name, [*self.cli, *args], {**self.env, **dict(env)}, colour=colour, capture=capture,
                     width=self._width)


# No proxies: a developer's HTTP_PROXY must not intercept requests to our own localhost ports.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _answers_200(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False
