"""Per-task order: a task's events are applied in `task_version` order, each exactly once. Pure.

The stream keeps every task's events in order, so in practice each event follows the last one
applied. If one does not (a version is missing: the publisher lost or reordered an event), the
later event is *held* — stored beside the position, in the same transaction — and applied as soon
as the missing version arrives. Other tasks keep flowing meanwhile. An event at or below the last
applied version is a duplicate (a redelivery, a re-send) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from uuid import UUID

from shared.contracts.v1 import TaskEventV1
from shared.envelope import CloudEvent

# An event carrying the whole task (a reassignment's snapshot) may open a task that a consumer,
# filtering by unit, has never seen: it has what a projection needs to start from.
ENTRY_TYPES: frozenset[str] = frozenset({"TaskReassigned"})


@dataclass(frozen=True)
class Delivery:
    """One decoded message: its place in the stream, its envelope and its contract."""

    sequence: int  # the stream sequence
    subject: str
    envelope: CloudEvent
    event: TaskEventV1
    headers: Mapping[str, str]
    # Copied from the event once (they are read many times per event while a batch is ordered and folded).
    type: str = field(default="", init=False, compare=False)  # the event's type name, e.g. 'ProgressReported'
    task_id: UUID = field(init=False, compare=False)
    version: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", _type_name(type(self.event)))
        object.__setattr__(self, "task_id", self.event.task_id)
        object.__setattr__(self, "version", self.event.task_version)


@dataclass(frozen=True)
class Gap:
    task_id: UUID
    expected: int  # the version that should have come
    received: int
    sequence: int


@dataclass
class Ordered:
    ready: list[Delivery] = field(default_factory=list)  # to apply now, in this order
    held: list[Delivery] = field(default_factory=list)  # newly held: an earlier version is missing
    released: list[Delivery] = field(default_factory=list)  # held before, no more: in `ready`, or overtaken
    gaps: list[Gap] = field(default_factory=list)
    duplicates: int = 0
    versions: dict[UUID, int] = field(default_factory=dict)  # last applied version of each task touched


@cache
def _type_name(cls: type[TaskEventV1]) -> str:
    return str(cls.model_fields["type"].default)


def order_batch(deliveries: Iterable[Delivery], applied: Mapping[UUID, int],
                held: Mapping[UUID, Mapping[int, Delivery]],
                entry_types: frozenset[str] = ENTRY_TYPES) -> Ordered:
    """Sorts a batch (in stream order) into what to apply, hold or drop.

    `applied` holds the last applied version of the batch's tasks, `held` their held events."""
    out = Ordered()
    waiting = {task: dict(by_version) for task, by_version in held.items()}
    for d in deliveries:
        last = out.versions.get(d.task_id, applied.get(d.task_id, 0))
        parked = waiting.setdefault(d.task_id, {})
        if d.version <= last or d.version in parked:
            out.duplicates += 1
        elif d.version == last + 1 or (last == 0 and d.type in entry_types):
            out.ready.append(d)
            out.versions[d.task_id] = _drain(d.version, parked, out)
        else:
            parked[d.version] = d
            out.held.append(d)
            out.gaps.append(Gap(d.task_id, last + 1, d.version, d.sequence))
    return out


def _drain(version: int, parked: dict[int, Delivery], out: Ordered) -> int:
    """Applies the held events that now follow on; returns the task's last applied version."""
    for stale in [v for v in parked if v <= version]:
        _forget(parked.pop(stale), out)
    while version + 1 in parked:
        version += 1
        follower = parked.pop(version)
        out.ready.append(follower)
        _unhold(follower, out)
    return version


def _forget(delivery: Delivery, out: Ordered) -> None:
    """A held event overtaken by an entry event: it will never apply."""
    _unhold(delivery, out)
    out.duplicates += 1


def _unhold(delivery: Delivery, out: Ordered) -> None:
    """Held in this very batch: forget it; held in an earlier one: it leaves the stored held events."""
    for i, candidate in enumerate(out.held):
        if candidate is delivery:
            del out.held[i]
            return
    out.released.append(delivery)


def held_versions(held: Sequence[Delivery]) -> dict[UUID, dict[int, Delivery]]:
    by_task: dict[UUID, dict[int, Delivery]] = {}
    for d in held:
        by_task.setdefault(d.task_id, {})[d.version] = d
    return by_task
