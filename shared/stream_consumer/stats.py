"""What a running consumer has done, for /health pages and logs (the counters also go to OpenTelemetry)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.vn import utc_now

if TYPE_CHECKING:
    from shared.stream_consumer.batch import BatchOutcome


@dataclass
class ConsumerStats:
    name: str
    position: int = 0  # the last stream sequence committed
    pending: int | None = None  # messages still to deliver after the last batch (lag)
    delivered: int = 0  # messages taken from the stream, whatever became of them
    applied: int = 0
    duplicates: int = 0
    gaps: int = 0
    held: int = 0  # events waiting for a missing version of their task, now
    rejected: int = 0  # messages that are no valid task event, kept in stream_rejected (all, not this run's)
    parked: int = 0  # events the handler could not apply, kept in stream_parked (all of them, not this run's)
    batches: int = 0
    repositions: int = 0
    consumer_starts: int = 0
    last_commit_at: datetime | None = field(default=None)

    def record(self, outcome: BatchOutcome, delivered: int, pending: int) -> None:
        self.position, self.pending = outcome.position, pending
        self.delivered += delivered
        self.applied += outcome.applied
        self.duplicates += outcome.duplicates
        self.gaps += len(outcome.gaps)
        self.held += len(outcome.held) - len(outcome.released)
        self.rejected += outcome.rejected
        self.batches += 1
        self.last_commit_at = utc_now()

    @property
    def status(self) -> str:
        """For /health: "degraded" while any message is parked or rejected (an operator must look)."""
        return "degraded" if self.parked or self.rejected else "ok"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_commit_at"] = self.last_commit_at.isoformat() if self.last_commit_at else None
        return data
