"""Stored events can evolve: the events stored by earlier versions of the code (the fixtures under
stored_events/, the bytes as stored) still load, mean what they meant, and keep their signatures.
A change to an event class, a value object or a module path that breaks this needs an upcaster or a
registered topic (see the policy in services/commitments/README.md), never an edit of a fixture."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from commitments.application.service import CommitmentsApp
from commitments.bootstrap import memory_app, task_views
from commitments.domain.actor import Role
from commitments.domain.deadlines import DeadlineKind
from commitments.domain.signed_records import key_id, verify_stored
from commitments.domain.targets import TargetKind
from commitments.domain.task import Task
from commitments.persistence.signing import EventSigner
from shared.periods import PeriodKind

FIXTURES = sorted((Path(__file__).parent / "stored_events").glob("events-*.json"))


def stored(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(originator_id=UUID(row["originator_id"]), originator_version=row["originator_version"],
                       topic=row["topic"], state=base64.b64decode(row["state"]))


# The facts a stored history must keep meaning; the API's view may gain fields without touching this.
CORE = ("task_id", "ref", "org", "program_year", "unit", "title", "description", "target", "deadline",
        "cooperating_units", "legal_basis", "lifecycle", "achieved_value", "last_report_as_of",
        "completion_requested_on", "completed_on", "version", "registered_at", "updated_at")


def same_facts(task: Task, expected: dict[str, Any]) -> None:
    facts = json.loads(json.dumps(task_views().facts(task)))
    assert {k: facts[k] for k in CORE} == {k: expected[k] for k in CORE}
    assert {k: facts[k] for k in expected if k in facts} == {k: v for k, v in expected.items() if k in facts}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def app() -> CommitmentsApp:
    """The service as it reads its store: its mapper strips the signature trailer (any key will do)."""
    return memory_app(signer=EventSigner.generate())


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_stored_event_loads_and_the_tasks_read_as_they_did(app: CommitmentsApp, path: Path) -> None:
    fixture = load(path)
    histories: dict[UUID, list[Task.Event]] = defaultdict(list)
    for row in fixture["events"]:
        event = app.mapper.to_domain_event(stored(row))
        histories[event.originator_id].append(cast("Task.Event", event))
    for task_id, events in histories.items():
        task: Task | None = None
        for event in events:
            task = cast("Task", event.mutate(task))
        assert task is not None
        same_facts(task, fixture["facts"][str(task_id)])


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_stored_snapshot_loads_as_the_task_it_was(app: CommitmentsApp, path: Path) -> None:
    fixture = load(path)
    assert fixture["snapshots"]
    for row in fixture["snapshots"]:
        snapshot = cast("Snapshot", app.mapper.to_domain_event(stored(row)))
        task = cast("Task", snapshot.mutate(None))
        same_facts(task, fixture["facts"][str(task.id)])


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_the_stored_signatures_still_verify(path: Path) -> None:
    fixture = load(path)
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(fixture["public_key"]))
    keys = {key_id(public): public}
    assert all(verify_stored(stored(row), keys) for row in fixture["events"] + fixture["snapshots"])


def test_the_fixtures_cover_every_event_type_and_value_object() -> None:
    topics = {row["topic"] for path in FIXTURES for row in load(path)["events"]}
    events = {get_topic(cls) for cls in vars(Task).values() if isinstance(cls, type) and issubclass(cls, Task.Event)
              and cls is not Task.Event and cls.__qualname__.startswith("Task.") and cls.__name__ != "Created"}
    assert events and events <= topics
    states = " ".join(base64.b64decode(row["state"]).decode("utf-8", "replace")
                      for path in FIXTURES for row in load(path)["events"])
    for name in ("date_iso", "datetime_iso", "actor", "target", "deadline", "approval", "period", "evidence_file"):
        assert f'"_type_":"{name}"' in states, name
    for enum in (TargetKind, DeadlineKind, PeriodKind, Role):
        missing = {e.value for e in enum if f'"kind":"{e.value}"' not in states and f'"role":"{e.value}"' not in states}
        assert missing <= {"inspector"}, (enum.__name__, missing)  # the Inspectorate only reads
