"""What a command submission is and what comes back from it."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from commitments.application.commands import Command
from shared.auth.tokens import Principal


class IdempotencyMismatch(Exception):
    """The Idempotency-Key was used before for a different request."""


class StoreUnavailable(Exception):
    """The event store could not be reached; nothing was recorded."""


@dataclass(frozen=True)
class Outcome:
    status_code: int
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

    @classmethod
    def of(cls, command: Command, principal: Principal, *, idempotency_key: str | None = None,
           request: Any = None, traceparent: str | None = None) -> Submission:
        """A client's key is scoped to the user, so two users' keys never collide."""
        command_id = f"{principal.user_id}:{idempotency_key}" if idempotency_key else f"auto:{uuid4()}"
        return cls(command=command, principal=principal, command_id=command_id,
                   fingerprint=fingerprint(request if request is not None else repr(command)),
                   traceparent=traceparent)


def fingerprint(request: Any) -> str:
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
