"""Reading ahead: a thread fetches the next batch of rows while the caller hashes this one."""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")


_END = object()


def prefetched(batches: Generator[T], depth: int = 3) -> Iterator[T]:
    """The batches, read ahead by a thread (the reader waits on the network without the GIL)."""
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def pump() -> None:
        try:
            for batch in batches:
                if not offer(batch):
                    break
            else:
                offer(_END)
        except BaseException as error:  # handed to the consumer, raised there
            offer(error)
        finally:
            batches.close()

    thread = threading.Thread(target=pump, name="audit-rows", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
