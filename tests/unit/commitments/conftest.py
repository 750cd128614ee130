"""An in-memory commitments application with a clock the test moves, and one principal per role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commitments.application.batching import CommandBatcher
from commitments.application.commands import Command
from commitments.application.outcomes import Outcome, Submission
from commitments.application.service import CommitmentsApp
from commitments.bootstrap import memory_app
from commitments.persistence.signing import EventSigner
from shared.auth.tokens import Principal


class MovableClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2025, 3, 1, 2, 0, tzinfo=UTC))


@pytest.fixture
def app() -> CommitmentsApp:
    return memory_app(signer=EventSigner.generate())


@pytest.fixture
def batcher(app: CommitmentsApp, clock: MovableClock) -> CommandBatcher:
    return CommandBatcher(app, clock=clock)


def principal(role: str, unit: str, user: str | None = None) -> Principal:
    return Principal(user_id=user or f"{role}.{unit}", name=f"Cán bộ {role} {unit}", unit=unit,
                     roles=frozenset({role}))


OFFICE = principal("office", "vp")
STAFF = principal("unit_staff", "ql-cndmst")
HEAD = principal("unit_head", "ql-cndmst")
OTHER_STAFF = principal("unit_staff", "ql-kh")
BOARD = principal("board", "bgd")
INSPECTOR = principal("inspector", "thanh-tra")


Run = Callable[..., Outcome]


@pytest.fixture
def run(batcher: CommandBatcher) -> Run:
    """Executes one command as `who`; returns its outcome or raises its error."""

    def execute(command: Command, who: Principal, key: str | None = None, request: Any = None) -> Outcome:
        sub = Submission.of(command, who, idempotency_key=key, request=request)
        batcher.execute([sub])
        return sub.future.result()

    return execute
