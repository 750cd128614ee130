"""Where the publisher gets its outgoing messages from: the notification log, read and translated
either in a thread (tests, tools) or by worker processes (`camket publisher`).

Reading, decoding, rebuilding task states and translating cost several times more CPU per event
than sending it does (the sender asks for one acknowledgement per window). In the publisher's own
process they would hold the interpreter lock most of the time, so a worker process reads the next
window while the main process sends the current one. With more cores to spare, several workers can
share the work, each for a partition of the tasks (by task id, so that each keeps the states of
its own tasks); they read the same window, bounded by a notification id already visible: since ids
commit in order (see `log`), every snapshot taken later sees exactly the same events up to it. The
main process merges the partitions back into notification order.

Workers are told to die with their parent (Linux PR_SET_PDEATHSIG), so a SIGKILLed publisher
leaves no orphan holding database connections.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import heapq
import multiprocessing
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from commitments.publisher.log import NotificationLog
from commitments.publisher.outgoing import Outgoing

PR_SET_PDEATHSIG = 1


class EventReader(Protocol):
    async def read(self, after: int, limit: int) -> list[Outgoing]: ...

    async def event_id_at(self, notification_id: int) -> str | None: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


class WorkerLost(ConnectionError):
    """A reading process died (its pipe closed): the reader starts new ones."""


class ProcessReader:
    """Worker processes, one NotificationLog each, over pipes of their own (a request, then its answer:
    a fraction of a millisecond, where an executor's queues and helper threads cost several)."""

    def __init__(self, build: Callable[[], NotificationLog], workers: int = 1) -> None:
        self._build = build  # picklable (a module-level function or a partial of one): it runs in each worker
        self._count = workers
        self._workers: list[_Worker] = []

    async def read(self, after: int, limit: int) -> list[Outgoing]:
        workers = self._started()
        if len(workers) == 1:
            return list(await workers[0].ask("read", after, limit, None, 0, 1))
        last = await workers[0].ask("last_id")
        if last <= after:
            return []
        parts = await asyncio.gather(*(w.ask("read", after, limit, last, part, len(workers))
                                       for part, w in enumerate(workers)))
        return list(heapq.merge(*parts, key=lambda m: m.notification_id))

    async def event_id_at(self, notification_id: int) -> str | None:
        answer: str | None = await self._started()[0].ask("event_id_at", notification_id)
        return answer

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def _started(self) -> list[_Worker]:
        if not self._workers:
            self._workers = [_Worker(self._build) for _ in range(self._count)]
        return self._workers


class _Worker:
    def __init__(self, build: Callable[[], NotificationLog]) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, build), name="publisher-reader", daemon=True)
        self._process.start()
        child.close()
        self._lock = asyncio.Lock()  # one request at a time on this pipe

    async def ask(self, *request: Any) -> Any:
        # The exchange runs to its end even if the caller is cancelled (a session that ends with a read
        # in flight): an answer left in the pipe would be taken as the answer to the next request.
        exchange = asyncio.ensure_future(self._exchange(request))
        exchange.add_done_callback(_observed)
        kind, answer = await asyncio.shield(exchange)
        if kind == "error":
            raise answer
        return answer

    async def _exchange(self, request: tuple[Any, ...]) -> tuple[str, Any]:
        async with self._lock:
            try:
                self._conn.send(request)
                reply: tuple[str, Any] = await asyncio.to_thread(self._conn.recv)
            except (EOFError, OSError) as error:
                raise WorkerLost(f"a reading process died ({error or type(error).__name__})") from None
            return reply

    def stop(self) -> None:
        self._conn.close()  # the worker's recv ends, and it exits
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()


def _observed(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _fewer_collections() -> None:
    """A window allocates tens of thousands of short-lived objects (rows, events, dicts); with the
    default thresholds the full collections over the long-lived heap (the application, the LRU of
    task states) took ~25 % of a worker's time. What exists at start-up is frozen out of them."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def _serve(conn: Connection, build: Callable[[], NotificationLog]) -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    log = build()
    _fewer_collections()
    handlers: dict[str, Callable[..., Any]] = {"read": log.read, "last_id": log.last_id,
                                               "event_id_at": log.event_id_at}
    try:
        while True:
            try:
                name, *args = conn.recv()
                try:
                    reply: tuple[str, Any] = ("ok", handlers[name](*args))
                except Exception as error:  # sent back and raised in the publisher, which decides what it means
                    reply = ("error", error)
                conn.send(reply)
            except (EOFError, BrokenPipeError, ConnectionResetError):
                return  # the publisher closed the pipe (it is stopping), possibly while we answered
    finally:
        log.app.close()
