"""An in-memory commitments application, a clock the test moves, and the audit's reader over its store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commitments.application.batching import CommandBatcher
from commitments.application.commands import Command
from commitments.application.outcomes import Outcome, Submission
from commitments.application.service import CommitmentsApp
from commitments.application.views import TaskViews
from commitments.audit.adapters.public_events import ContractEvents
from commitments.audit.adapters.reader import TaskReader
from commitments.audit.application.ports import PublicEvents
from commitments.bootstrap import memory_app
from commitments.persistence.signing import EventSigner
from shared.auth.tokens import Principal


class MovableClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=UTC)  # type: ignore[misc]

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def principal(role: str, unit: str) -> Principal:
    return Principal(user_id=f"{role}.{unit}", name=f"Cán bộ {role} {unit}", unit=unit, roles=frozenset({role}))


OFFICE = principal("office", "vp")
STAFF = principal("unit_staff", "ql-cndmst")
HEAD = principal("unit_head", "ql-cndmst")
BOARD = principal("board", "bgd")

Run = Callable[..., Outcome]


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2025, 3, 1, 2, 0, tzinfo=UTC))


@pytest.fixture
def signer() -> EventSigner:
    return EventSigner.generate()


@pytest.fixture
def app(signer: EventSigner) -> CommitmentsApp:
    return memory_app(signer=signer)


@pytest.fixture
def reader(app: CommitmentsApp, signer: EventSigner) -> TaskReader:
    return TaskReader(app, {signer.key_id: signer.public_key})


@pytest.fixture
def views(app: CommitmentsApp) -> TaskViews:
    return app.views


@pytest.fixture
def public_events() -> PublicEvents:
    return ContractEvents()  # as the audit's bootstrap wires it


@pytest.fixture
def run(app: CommitmentsApp, clock: MovableClock) -> Run:
    batcher = CommandBatcher(app, clock=clock)

    def execute(command: Command, who: Principal) -> Outcome:
        sub = Submission.of(command, who)
        batcher.execute([sub])
        return sub.future.result()

    return execute


def later(clock: MovableClock, run: Run, when: tuple[int, ...], command: Command, who: Principal) -> Any:
    clock.set(*when)
    return run(command, who)
