"""The example subscriber of docs/subscribers.md, run as written: it replays every event from the
first, in order, then follows live; restarted under the same durable name it continues where it
stopped."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from commitments.application.batching import CommandBatcher
from commitments.application.service import CommitmentsApp
from commitments.publisher.config import PublisherSettings
from shared.subjects import Subjects
from tests.integration.publisher import load
from tests.integration.publisher.running import running

DOC = Path(__file__).resolve().parents[3] / "docs" / "subscribers.md"


def example() -> dict[str, Any]:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert code is not None, "no Python example in docs/subscribers.md"
    namespace: dict[str, Any] = {"__name__": "subscriber_example"}
    exec(compile(code[1], str(DOC), "exec"), namespace)
    return namespace


async def receive(follow: Any, settings: PublisherSettings, subjects: Subjects, count: int) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    enough = asyncio.Event()

    async def handle(headers: dict[str, str], event: dict[str, Any], position: int) -> None:
        seen.append(event | {"_id": headers["ce-id"], "_position": position})
        if len(seen) >= count:
            enough.set()

    following = asyncio.create_task(follow(handle, url=settings.nats_url, stream=subjects.events_stream,
                                           subjects=subjects.org_task_events, durable="example"))
    try:
        await asyncio.wait_for(enough.wait(), 20)
        await asyncio.sleep(0.3)  # and nothing more arrives
    finally:
        following.cancel()
        await asyncio.gather(following, return_exceptions=True)
    return seen


async def test_the_documented_subscriber_replays_then_follows_and_resumes(
        settings: PublisherSettings, subjects: Subjects, store: CommitmentsApp, writer: CommandBatcher,
        cleanup_streams: list[str]) -> None:
    follow = example()["follow"]
    owned = load.tasks(writer, 10)
    load.reports(writer, owned, rounds=2)
    async with running(settings) as publisher:
        await publisher.wait_for(30, 20)
        first = await receive(follow, settings, subjects, 30)
        await asyncio.to_thread(load.reports, writer, owned, 1, 200, 3)
        await publisher.wait_for(40, 20)
        then = await receive(follow, settings, subjects, 10)
    assert [e["_position"] for e in first + then] == list(range(1, 41))
    assert len({e["_id"] for e in first + then}) == 40
    assert all(e["task_version"] == 4 and e["type"] == "ProgressReported" for e in then)
