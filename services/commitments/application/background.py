"""Runs the batcher on its own thread, so HTTP handlers only queue commands and await their answers.

The queue is bounded and so is the wait. When more commands wait than `max_queued`, a new one is
refused at once (WriterBusy: the client retries later) rather than joining a queue that would only
make every caller wait longer. A caller whose command is still queued after `wait_seconds` withdraws
it (WriterTimeout, recorded=False: it will never be applied); one whose command is already being
written gets WriterTimeout with recorded=None — it may have been, and a retry with the same
Idempotency-Key answers from the record if so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Outcome, Submission

log = logging.getLogger(__name__)
MAX_BATCH = 500


class WriterBusy(Exception):
    """Too many commands are waiting for the writer; nothing was queued."""

    def __init__(self, queued: int, retry_after: int) -> None:
        super().__init__(f"{queued} commands are waiting to be written; retry in {retry_after} s")
        self.retry_after = retry_after


class WriterTimeout(Exception):
    """The writer did not answer within the bound. `recorded` is False when the command was withdrawn
    unapplied, None when it was being written and its fate is not known yet."""

    def __init__(self, waited: float, recorded: bool | None) -> None:
        outcome = ("it was withdrawn and will not be recorded" if recorded is False else
                   "it may still be recorded: retry with the same Idempotency-Key")
        super().__init__(f"no answer from the writer within {waited:g} s; {outcome}")
        self.recorded = recorded


class BackgroundBatcher:
    def __init__(self, batcher: CommandBatcher, *, max_batch: int = MAX_BATCH, max_queued: int = 5000,
                 wait_seconds: float = 30.0) -> None:
        self.batcher = batcher
        self._queue: queue.SimpleQueue[Submission | None] = queue.SimpleQueue()
        self._max_batch, self._max_queued, self._wait_seconds = max_batch, max_queued, wait_seconds
        self._queued = 0
        self._count_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="command-writer", daemon=True)

    @property
    def queued(self) -> int:
        return self._queued

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    async def submit(self, submission: Submission) -> Outcome:
        with self._count_lock:
            if self._queued >= self._max_queued:
                raise WriterBusy(self._queued, retry_after=max(1, round(self._queued / (4 * self._max_batch))))
            self._queued += 1
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Outcome] = loop.create_future()
        submission.waiter = (loop, answer)
        self._queue.put(submission)
        expiry = loop.call_later(self._wait_seconds, _expire, answer)
        try:
            return await answer
        except _Expired:
            withdrawn = submission.future.cancel()  # succeeds only while the command is still queued
            raise WriterTimeout(self._wait_seconds, recorded=False if withdrawn else None) from None
        finally:
            expiry.cancel()

    def _take(self, item: Submission | None) -> Submission | None:
        """The writer takes an item: it no longer counts as queued; a withdrawn one is skipped."""
        if item is None:
            return None
        with self._count_lock:
            self._queued -= 1
        return item if item.future.set_running_or_notify_cancel() else None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            first = self._take(item)
            batch = [first] if first is not None else []
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                if (taken := self._take(item)) is not None:
                    batch.append(taken)
            if batch:
                self._execute(batch)

    def _execute(self, batch: list[Submission]) -> None:
        try:
            self.batcher.execute(batch)
        except Exception as error:  # a defect must fail the requests, not kill the writer thread
            log.exception("command batch failed")
            for sub in batch:
                if not sub.future.done():
                    sub.future.set_exception(error)
        finally:
            _hand_back(batch)


class _Expired(Exception):
    """A caller's wait reached its bound (a class of its own: a TimeoutError may come from elsewhere)."""


def _expire(answer: asyncio.Future[Outcome]) -> None:
    if not answer.done():
        answer.set_exception(_Expired())


def _hand_back(batch: list[Submission]) -> None:
    """Passes the batch's answers to the callers' event loops: one wake-up per loop and batch rather
    than one per command (each costs the loop a self-pipe write and a turn under the GIL)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Submission]] = {}
    for sub in batch:
        if sub.waiter is not None:
            by_loop.setdefault(sub.waiter[0], []).append(sub)
    for loop, subs in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits for these answers now
            loop.call_soon_threadsafe(_resolve, subs)


def _resolve(subs: list[Submission]) -> None:
    for sub in subs:
        assert sub.waiter is not None
        answer = sub.waiter[1]
        if answer.done() or not sub.future.done():  # the caller stopped waiting (expired or cancelled)
            continue
        error = sub.future.exception()
        if error is None:
            answer.set_result(sub.future.result())
        else:
            answer.set_exception(error)
