"""The audit's view of a task's public events (ports.PublicEvents): commitments' translator, contracts v1."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commitments.domain.task import Task
from commitments.integration.translator import translate


class ContractEvents:
    def as_json(self, event: Task.Event, task: Task, /) -> dict[str, Any]:
        """The event exactly as the stream carries it (the contract's JSON)."""
        return translate(event, task).model_dump(mode="json")

    def effective_at(self, event: Task.Event, task: Task, /) -> datetime:
        return translate(event, task).effective_at
