"""Runs the batcher on its own thread, so HTTP handlers only queue commands and await their answers."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Outcome, Submission

log = logging.getLogger(__name__)
MAX_BATCH = 500


class BackgroundBatcher:
    def __init__(self, batcher: CommandBatcher, *, max_batch: int = MAX_BATCH) -> None:
        self.batcher = batcher
        self._queue: queue.SimpleQueue[Submission | None] = queue.SimpleQueue()
        self._max_batch = max_batch
        self._thread = threading.Thread(target=self._run, name="command-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    async def submit(self, submission: Submission) -> Outcome:
        self._queue.put(submission)
        return await asyncio.wrap_future(submission.future)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._execute(batch)

    def _execute(self, batch: list[Submission]) -> None:
        try:
            self.batcher.execute(batch)
        except Exception as error:  # a defect must fail the requests, not kill the writer thread
            log.exception("command batch failed")
            for sub in batch:
                if not sub.future.done():
                    sub.future.set_exception(error)
