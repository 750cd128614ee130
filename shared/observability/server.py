"""The small HTTP server of a process without an API (publisher, sealer, standalone consumer): the
same /metrics, /healthz and /readyz as the services, on the port of its `*_METRICS_PORT` setting.

It runs in the process's own event loop and leaves signals to the process (uvicorn would otherwise
take SIGTERM for itself).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI

from shared.observability.endpoints import install
from shared.observability.probes import Probes

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the process handles its own signals


class OpsServer:
    def __init__(self, probes: Probes, port: int | None, host: str = "0.0.0.0") -> None:
        self.probes, self.port, self.host = probes, port, host
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Serves in the background; without a port (the setting unset) does nothing."""
        if self.port is None:
            return
        app = FastAPI(title=f"Cam kết — {self.probes.service} (operations)", docs_url=None, redoc_url=None)
        install(app, self.probes)
        try:  # bound here: uvicorn would exit the whole process on a port already taken
            sock = socket.create_server((self.host, self.port), reuse_port=False)
        except OSError as error:
            log.error("cannot serve /metrics and /readyz on port %d (%s); going on without them", self.port, error)
            return
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="ops-http")
        log.info("serving /metrics, /healthz and /readyz on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None and not self._task.done():
            self._server.should_exit = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, 5)
