"""The publisher's direct writing of progress reports gives the bytes the pydantic contract gives:
for every stored event of the fixtures (of every type, each going its own way), and for generated
values (text with controls and non-ASCII letters, ints, floats down to the odd ones, evidence)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.bootstrap import memory_app
from commitments.domain.evidence import EvidenceFile
from commitments.domain.task import Task
from commitments.integration.translator import event_id, translate
from commitments.persistence.signing import EventSigner
from commitments.publisher.direct import progress_reported_json
from commitments.publisher.log import NotificationLog
from commitments.publisher.outgoing import outgoing
from tests.unit.commitments.test_stored_events import FIXTURES, load, stored
from tests.unit.publisher.conftest import SUBJECTS


@cache
def histories(path: Path) -> list[tuple[Task.Event, Task]]:
    """Each stored event of a fixture with its task's state right after it."""
    app = memory_app(signer=EventSigner.generate())
    tasks: dict[UUID, Task] = {}
    out = []
    for row in load(path)["events"]:
        event = cast("Task.Event", app.mapper.to_domain_event(stored(row)))
        task = tasks[event.originator_id] = cast("Task", event.mutate(tasks.get(event.originator_id)))
        out.append((event, copy.deepcopy(task)))  # mutate changes the task in place
    return out


def pydantic_json(event: Task.Event, task: Task) -> bytes:
    return translate(event, task).model_dump_json().encode()


def direct_json(event: Task.Event, task: Task) -> bytes | None:
    return progress_reported_json(event, task, event_id(event.originator_id, event.originator_version))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_stored_progress_report_is_written_as_pydantic_writes_it(path: Path) -> None:
    reports = [(e, t) for e, t in histories(path) if type(e).__name__ == "ProgressReported"]
    assert reports
    for event, task in reports:
        assert direct_json(event, task) == pydantic_json(event, task)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_stored_event_goes_out_as_the_contract_path_sends_it(path: Path) -> None:
    """The messages as the log sends them (direct or not) against the pydantic contract's, every type."""
    log = NotificationLog(memory_app(signer=EventSigner.generate()), SUBJECTS)
    seen = set()
    for n, (event, task) in enumerate(histories(path), start=1):
        sent = log._outgoing(_Notification(n), event, None)
        assert sent == outgoing(n, translate(event, task), SUBJECTS)
        seen.add(type(event).__name__)
    assert len(seen) >= 10


class _Notification:
    def __init__(self, id: int) -> None:
        self.id = id


def with_values(event: Task.Event, **values: Any) -> Task.Event:
    changed = copy.copy(event)
    changed.__dict__.update(values)
    return changed


TEXT = st.text(st.characters(codec="utf-8"), max_size=40)  # controls, NUL, quotes, any letter
NUMBER = st.none() | st.integers(-10**15, 10**15) | st.floats(allow_nan=True, allow_infinity=True)
FILES = st.lists(st.builds(EvidenceFile, name=TEXT, media_type=TEXT, size=st.integers(0, 2**53),
                           sha256=st.text("0123456789abcdef", min_size=64, max_size=64)), max_size=3)


@settings(max_examples=300, deadline=None)
@given(note=TEXT, achieved=NUMBER, previous=NUMBER, evidence=st.lists(TEXT, max_size=3), files=FILES)
def test_generated_reports_are_written_as_pydantic_writes_them(note: str, achieved: float | None,
                                                              previous: float | None, evidence: list[str],
                                                              files: list[EvidenceFile]) -> None:
    event, task = next((e, t) for e, t in histories(FIXTURES[0]) if type(e).__name__ == "ProgressReported")
    changed = with_values(event, note=note, achieved_value=achieved, previous_value=previous,
                          evidence=tuple(evidence), evidence_files=tuple(files))
    assert direct_json(changed, task) == pydantic_json(changed, task)


def test_a_lone_surrogate_is_left_to_the_pydantic_way() -> None:
    event, task = next((e, t) for e, t in histories(FIXTURES[0]) if type(e).__name__ == "ProgressReported")
    assert direct_json(with_values(event, note="x\ud800y"), task) is None
