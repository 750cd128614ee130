"""Witnesses: how fast `verify` reads the checkpoints published on NATS, beside reading them with one
`get_msg` request per message (how it was read before) in the same run.

3,000 signed checkpoints go on a stream of a throwaway subject prefix (deleted afterwards). The figure
is checkpoints read, parsed and filtered per second, median of three reads.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from bench.result import Result
from commitments.audit.adapters import witness
from commitments.audit.domain.checkpoints import Checkpoint, CheckpointSigner, SignedCheckpoint
from shared.messaging import connect
from shared.subjects import Subjects

COUNT = 3_000
LOG = "commitments/bench.commitments_events"
Reader = Callable[[JetStreamContext, Subjects, str], Awaitable[list[SignedCheckpoint]]]


async def one_request_per_message(js: JetStreamContext, subjects: Subjects, log_name: str) -> list[SignedCheckpoint]:
    found, sequence = [], 1
    while True:
        try:
            message = await js.get_msg(subjects.audit_stream, seq=sequence, subject=subjects.checkpoints, next=True)
        except NotFoundError:
            return found
        sequence = (message.seq or sequence) + 1
        signed = witness._parse(message.data or b"")
        if signed is not None and signed.checkpoint.log == log_name:
            found.append(signed)


async def _rate(read: Reader, js: JetStreamContext, subjects: Subjects) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        assert len(await read(js, subjects, LOG)) == COUNT
        times.append(time.perf_counter() - started)
    return COUNT / statistics.median(times)


async def _measure() -> list[Result]:
    subjects = Subjects("qt-skhcn", f"benchwit{uuid.uuid4().hex[:6]}")
    nc = await connect(os.environ.get("CAMKET_NATS_URL", "nats://127.0.0.1:4222"), "bench-witness", attempts=2)
    js = nc.jetstream()
    try:
        await witness.ensure_audit_stream(js, subjects)
        signer = CheckpointSigner.generate()
        base = Checkpoint(org="qt-skhcn", log=LOG, tree_size=0, chain=bytes(32), root=bytes(32), heads_root=bytes(32),
                          heads_count=0, last_notification_id=0, issued_at=datetime(2025, 1, 1, tzinfo=UTC),
                          event_keys={})
        await witness.publish(js, subjects, [signer.sign(replace(base, tree_size=n + 1)) for n in range(COUNT)])
        ordered = await _rate(witness.published, js, subjects)
        one_by_one = await _rate(one_request_per_message, js, subjects)
    finally:
        await js.delete_stream(subjects.audit_stream)
        await nc.close()
    return [Result(f"verify: published checkpoints read ({COUNT:,}, ordered consumer)", ordered, "checkpoints/s",
                   "one get_msg per message", one_by_one, goal="no total time budget; ≥ 3× one by one")]


def run() -> list[Result]:
    return asyncio.run(_measure())
