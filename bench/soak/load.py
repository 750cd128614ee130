"""The soak's steady mixed load: each kind of request at its own fixed rate (open loop: a request starts
on schedule whether or not the one before has answered, so a slower service shows as latency, not as
less load), with every answer's latency and status recorded."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Request = tuple[str, str, dict[str, Any] | None, dict[str, str]]  # method, URL, JSON body, headers
IN_FLIGHT_MAX = 64  # per kind: beyond it a scheduled request is skipped and counted (the service is saturated)


@dataclass(frozen=True)
class Kind:
    name: str
    rate: float  # requests per second
    build: Callable[[random.Random], Request]


@dataclass
class Recorder:
    """(seconds since the start, kind, latency ms, ok) per answer; skipped requests per kind."""

    started: float = field(default_factory=time.monotonic)
    answers: list[tuple[float, str, float, bool]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # the last failure per kind, to show

    def now(self) -> float:
        return time.monotonic() - self.started

    def window(self, since: float, until: float) -> dict[str, tuple[list[float], int]]:
        """Per kind: latencies of successful answers in [since, until), and the count of failed ones."""
        out: dict[str, tuple[list[float], int]] = {}
        for at, kind, ms, ok in self.answers:
            if since <= at < until:
                latencies, failed = out.setdefault(kind, ([], 0))
                if ok:
                    latencies.append(ms)
                else:
                    out[kind] = (latencies, failed + 1)
        return out


async def drive(kinds: list[Kind], until: float, recorder: Recorder, seed: int = 16) -> None:
    limits = httpx.Limits(max_connections=IN_FLIGHT_MAX * len(kinds), max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits, trust_env=False) as client:
        await asyncio.gather(*(_pace(client, kind, until, recorder, random.Random(seed + n))
                               for n, kind in enumerate(kinds)))


async def _pace(client: httpx.AsyncClient, kind: Kind, until: float, recorder: Recorder, rng: random.Random) -> None:
    interval, due, in_flight = 1 / kind.rate, recorder.now(), set[asyncio.Task[None]]()
    while due < until:
        if len(in_flight) < IN_FLIGHT_MAX:
            task = asyncio.create_task(_one(client, kind, kind.build(rng), recorder))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        else:
            recorder.skipped[kind.name] = recorder.skipped.get(kind.name, 0) + 1
        due += interval
        await asyncio.sleep(max(0.0, due - recorder.now()))
    if in_flight:
        await asyncio.wait(in_flight)


async def _one(client: httpx.AsyncClient, kind: Kind, request: Request, recorder: Recorder) -> None:
    method, url, body, headers = request
    started = time.perf_counter()
    try:
        response = await client.request(method, url, json=body, headers=headers)
        ok = response.status_code < 400
        if not ok:
            recorder.failures[kind.name] = f"{response.status_code} {url}: {response.text[:200]}"
    except httpx.HTTPError as error:
        ok = False
        recorder.failures[kind.name] = f"{type(error).__name__} {url}"
    recorder.answers.append((recorder.now(), kind.name, (time.perf_counter() - started) * 1000, ok))
