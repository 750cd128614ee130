"""The whole system under faults: clients keep commanding while, on a seeded schedule, each process is
SIGKILLed in turn, NATS and PostgreSQL restart; afterwards the store, the stream, the read models, the
notifications store and the audit all agree.

    make chaos                                  one seed (printed), CHAOS_ROUNDS rounds of faults
    CAMKET_CHAOS_SEED=1234 make chaos           replay a seed
    CAMKET_CHAOS_SEEDS=1,2,3,4,5 make chaos     several seeds, one stack each
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack import scratch_dir
from tests.chaos import checks, schedule
from tests.chaos.clients import Ledger, Tokens, run_clients
from tests.chaos.stack import Stack
from tests.e2e.support import token

ROUNDS = int(os.environ.get("CAMKET_CHAOS_ROUNDS", "1"))
CLIENTS = int(os.environ.get("CAMKET_CHAOS_CLIENTS", "12"))


def seeds() -> list[int]:
    if listed := os.environ.get("CAMKET_CHAOS_SEEDS"):
        return [int(s) for s in listed.split(",")]
    return [int(os.environ.get("CAMKET_CHAOS_SEED") or random.SystemRandom().randrange(1, 10**6))]


@pytest.fixture
def stack() -> Iterator[Stack]:
    with scratch_dir("camket-chaos-") as root:
        running = Stack(root)
        try:
            running.start()
            yield running
        finally:
            running.close()


@pytest.mark.parametrize("seed", seeds())
def test_every_acknowledged_command_survives_kills_and_restarts(stack: Stack, seed: int) -> None:
    print(f"\nchaos seed {seed} (replay: CAMKET_CHAOS_SEED={seed} make chaos), {ROUNDS} round(s), {CLIENTS} clients")
    ledger, done = Ledger(), []
    tokens = _tokens(stack.state)
    try:
        asyncio.run(_load_under_faults(stack, ledger, seed, done))
        asyncio.run(checks.caught_up(stack))
    except BaseException:
        print("\n".join(done))
        print(stack.logs())
        raise
    print(f"faults: {', '.join(done)}")
    print(f"{len(ledger.tasks)} tasks, {len(ledger.acked)} commands acknowledged, {ledger.failures} failed tries, "
          f"{len(ledger.uncertain)} given up; unasked exits: {stack.exits or 'none'}")
    assert not ledger.refused, ledger.refused[:5]

    found = checks.histories(stack, tokens("inspector", "thanh-tra"), ledger.tasks)
    stored_given_up = checks.commands_exactly_once(ledger, found)
    checks.uncertain_wholly_present_or_absent(stack, ledger, found)
    print(f"given up and stored anyway: {stored_given_up} of {len(ledger.uncertain)}")
    asyncio.run(checks.stream_matches_store(stack))
    rebuilt = stack.camket("reporting", "verify")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    checks.notifications_agree(stack)
    verified = stack.camket("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


async def _load_under_faults(stack: Stack, ledger: Ledger, seed: int, done: list[str]) -> None:
    keep_going = asyncio.Event()
    keep_going.set()
    load = asyncio.create_task(run_clients(stack.url("commitments"), _tokens(stack.state), ledger, seed,
                                           CLIENTS, keep_going))
    try:
        await schedule.run(stack, schedule.plan(seed, ROUNDS), done)
    finally:
        keep_going.clear()  # each client finishes the task it is on, every command acknowledged
        async with asyncio.timeout(300):
            await load


def _tokens(state: Path) -> Tokens:
    cache: dict[tuple[str, str], str] = {}

    def get(role: str, unit: str) -> str:
        if (role, unit) not in cache:
            cache[(role, unit)] = token(state, role, unit)
        return cache[(role, unit)]

    return get
