"""What a command submission is and what comes back from it."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import os
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import uuid4

from commitments.application.commands import Command
from shared.auth.tokens import Principal


class IdempotencyMismatch(Exception):
    """The Idempotency-Key was used before for a different request."""


class StoreUnavailable(Exception):
    """The event store could not be reached; nothing was recorded."""


class OutcomeKind(StrEnum):
    """What an accepted command did. The API says it as an HTTP status; a command record keeps it, so a
    replay answers with the same kind. (Refusals are exceptions: domain errors, conflicts, mismatches.)"""

    CREATED = "created"  # a task was registered
    OK = "ok"  # existing tasks changed


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    body: dict[str, Any]
    replayed: bool = False  # True when this is the stored answer to an earlier identical request


@dataclass
class Submission:
    command: Command
    principal: Principal
    command_id: str
    fingerprint: str
    traceparent: str | None = None
    future: Future[Outcome] = field(default_factory=Future)
    # Where an awaiting caller wants the answer: its event loop and the future it awaits there.
    waiter: tuple[asyncio.AbstractEventLoop, asyncio.Future[Outcome]] | None = None
    # The command id was generated here just now (no Idempotency-Key), so no record of it can exist yet.
    new_id: bool = False

    @classmethod
    def of(cls, command: Command, principal: Principal, *, idempotency_key: str | None = None,
           request: Any = None, traceparent: str | None = None) -> Submission:
        """A client's key is scoped to the user, so two users' keys never collide."""
        command_id = f"{principal.user_id}:{idempotency_key}" if idempotency_key else _automatic_ids.next()
        return cls(command=command, principal=principal, command_id=command_id,
                   fingerprint=fingerprint(request if request is not None else repr(command)),
                   traceparent=traceparent, new_id=not idempotency_key)


class _AutomaticIds:
    """Command ids for requests without an Idempotency-Key: a random prefix per process and a counter,
    unique across processes and restarts. (A uuid4 per command reads the kernel's random source, a system
    call that gives the GIL away to the writer thread on every request.)"""

    def __init__(self) -> None:
        self.renew()

    def renew(self) -> None:
        self._prefix, self._counter = f"auto:{uuid4().hex}-", itertools.count()

    def next(self) -> str:
        return f"{self._prefix}{next(self._counter)}"


_automatic_ids = _AutomaticIds()
os.register_at_fork(after_in_child=_automatic_ids.renew)  # a forked child must not repeat its parent's ids


def fingerprint(request: Any) -> str:
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
