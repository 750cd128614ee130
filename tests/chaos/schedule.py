"""The seeded schedule of faults: every round SIGKILLs each process once and restarts NATS (gracefully
and by SIGKILL) and PostgreSQL (fast and immediate), in an order and at pauses drawn from the seed, so
a failing seed replays the same schedule."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from tests.chaos.stack import Stack

FAULTS = ("kill commitments", "kill publisher", "kill sealer", "kill reporting", "kill notifications",
          "restart nats", "crash nats", "restart postgres fast", "restart postgres immediate")


@dataclass(frozen=True)
class Step:
    pause: float  # seconds of load before the fault
    fault: str


def plan(seed: int, rounds: int) -> list[Step]:
    rng = random.Random(seed)
    steps: list[Step] = []
    for _ in range(rounds):
        faults = list(FAULTS)
        rng.shuffle(faults)
        steps += [Step(round(rng.uniform(0.3, 2.0), 2), fault) for fault in faults]
    return steps


def apply(stack: Stack, fault: str) -> None:
    verb, _, what = fault.partition(" ")
    if verb == "kill":
        stack.kill(what)
    elif what == "nats":
        stack.restart_nats(crash=verb == "crash")
    else:
        stack.restart_postgres(what.split()[1])


async def run(stack: Stack, steps: list[Step], log: list[str]) -> None:
    for number, step in enumerate(steps, 1):
        await asyncio.sleep(step.pause)
        await asyncio.to_thread(apply, stack, step.fault)
        await asyncio.to_thread(stack.supervise)
        log.append(f"{number}/{len(steps)} {step.fault}")
