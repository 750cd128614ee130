"""Replaying a consumer from a stream sequence: refused while an instance is active or when it would
skip messages; otherwise the next start re-delivers from there and applies nothing twice (the
recording handler's primary key would refuse a second application)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client

from shared.stream_consumer import StreamConsumer, task_events
from shared.stream_consumer.replay import ReplayRefused, replay_from
from shared.subjects import Subjects
from tests.integration.reporting.test_stream_consumer import Recorder, Rig, story
from tests.polling import eventually

CAMKET = str(Path(sys.executable).parent / "camket")


@pytest.fixture
async def plain(nc: Client, database_url: str, subjects: Subjects, pg_schema: str) -> Rig:
    recorder = Recorder(pg_schema)
    await recorder.install(database_url)
    consumer = StreamConsumer(nc, database_url, task_events(subjects, name="test", schema=pg_schema, batch_size=50),
                              recorder)
    await consumer.install()
    return Rig(nc, nc.jetstream(), subjects, database_url, pg_schema, recorder, consumer)


async def test_replay_redelivers_from_the_sequence_and_applies_nothing_twice(plain: Rig) -> None:
    rig = plain
    _, events = story(29)
    sequences = await rig.publish(events)
    await rig.consumer.run(until_caught_up=True)
    assert len(await rig.applied()) == 30

    stop = asyncio.Event()
    active = rig.fresh_consumer()
    running = asyncio.create_task(active.run(stop))
    try:
        await eventually(lambda: _true(active.stats.consumer_starts >= 1))
        with pytest.raises(ReplayRefused, match="is running"):
            await replay_from(rig.database_url, rig.consumer.options, 1)
    finally:
        stop.set()
        await running

    async def released() -> bool:
        """PostgreSQL frees a session's advisory lock when its backend exits, a moment after the
        client has closed the connection: until then a replay is (rightly) refused as running."""
        try:
            await replay_from(rig.database_url, rig.consumer.options, sequences[-1] + 10)
        except ReplayRefused as error:
            return "is running" not in str(error)
        return True

    await eventually(released)
    with pytest.raises(ReplayRefused, match="would skip 9 messages"):
        await replay_from(rig.database_url, rig.consumer.options, sequences[-1] + 10)
    done = await replay_from(rig.database_url, rig.consumer.options, sequences[10])
    assert (done.before, done.after) == (sequences[-1], sequences[10] - 1)

    again = rig.fresh_consumer()
    await again.run(until_caught_up=True)
    assert again.stats.delivered == 20 and again.stats.duplicates == 20 and again.stats.applied == 0
    assert again.stats.position == sequences[-1]
    assert [r[2] for r in await rig.applied()] == sequences  # each once, in order


def test_the_replay_command_refuses_to_skip_and_moves_back(database_url: str, pg_schema: str) -> None:
    env = os.environ | {"CAMKET_DATABASE_URL": database_url, "CAMKET_REPORTING_DB_SCHEMA": pg_schema}
    skip = subprocess.run([CAMKET, "reporting", "replay", "--from-seq", "5"], env=env, capture_output=True,
                          text=True, check=False)
    assert skip.returncode == 2 and "would skip 4 messages" in skip.stderr
    back = subprocess.run([CAMKET, "reporting", "replay", "--from-seq", "1"], env=env, capture_output=True,
                          text=True, check=False)
    assert back.returncode == 0 and "position 0 → 0" in back.stdout, back.stderr


async def _true(value: bool) -> bool:
    return value
