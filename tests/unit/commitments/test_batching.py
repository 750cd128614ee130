"""Group commit: many commands, one transaction, each caller its own answer; idempotency; concurrency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import uuid4

import pytest

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import IdempotencyMismatch, Submission
from commitments.application.permissions import Forbidden
from commitments.application.records import CommandRecord
from commitments.application.service import CommitmentsApp
from commitments.domain.errors import InvalidValue, VersionConflict
from commitments.domain.task import Task
from tests.unit.commitments.builders import register, report, revise
from tests.unit.commitments.conftest import BOARD, INSPECTOR, OFFICE, OTHER_STAFF, STAFF, MovableClock, Run


def test_a_batch_commits_in_one_transaction_and_answers_each_command(app: CommitmentsApp,
                                                                     batcher: CommandBatcher) -> None:
    ids = [uuid4() for _ in range(5)]
    subs = [Submission.of(register(i, ref=f"T-{n}"), OFFICE) for n, i in enumerate(ids)]
    subs.append(Submission.of(report(ids[0], -3), STAFF))  # breaks a rule: only this one fails
    subs.append(Submission.of(report(ids[1], 2), STAFF))  # the task registered earlier in the same batch
    batcher.execute(subs)
    assert [s.future.result().body["version"] for s in subs[:5]] == [1] * 5  # each answer is its own command's
    assert isinstance(subs[5].future.exception(), InvalidValue)
    assert subs[6].future.result().body == {"task_id": str(ids[1]), "ref": "T-1", "version": 2,
                                            "events": ["ProgressReported"]}
    assert app.recorder.max_notification_id() == 6


def test_a_retried_command_returns_the_first_answer_and_records_nothing(app: CommitmentsApp, run: Run) -> None:
    task_id = uuid4()
    first = run(register(task_id), OFFICE, key="dang-ky-1", request={"ref": "QL-CNDMST-03"})
    again = run(register(task_id), OFFICE, key="dang-ky-1", request={"ref": "QL-CNDMST-03"})
    assert again.body == first.body and again.replayed and not first.replayed
    assert app.recorder.max_notification_id() == 1


def test_the_same_key_with_another_body_is_refused(run: Run) -> None:
    run(register(uuid4()), OFFICE, key="k", request={"ref": "A"})
    with pytest.raises(IdempotencyMismatch):
        run(register(uuid4(), ref="B"), OFFICE, key="k", request={"ref": "B"})


def test_keys_are_scoped_to_the_user(run: Run) -> None:
    run(register(uuid4(), ref="A"), OFFICE, key="k", request={"ref": "A"})
    other_office = OFFICE.__class__(user_id="vp.other", name="Người khác", unit="vp", roles=OFFICE.roles)
    assert not run(register(uuid4(), ref="B"), other_office, key="k", request={"ref": "B"}).replayed


def test_a_key_repeated_within_one_batch_is_applied_once(app: CommitmentsApp, batcher: CommandBatcher) -> None:
    task_id = uuid4()
    batcher.execute([Submission.of(register(task_id), OFFICE)])
    subs = [Submission.of(report(task_id, 3), STAFF, idempotency_key="bao-cao-1", request={"v": 3})
            for _ in range(4)]
    batcher.execute(subs)
    assert {s.future.result().body["version"] for s in subs} == {2}
    assert [s.future.result().replayed for s in subs] == [False, True, True, True]
    assert app.get_task(task_id).version == 2


def test_a_stale_expected_version_is_refused_with_the_current_one(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    run(report(task_id, 1, version=1), STAFF)
    with pytest.raises(VersionConflict) as error:
        run(revise(task_id, target="ít nhất 12 doanh nghiệp", version=1), BOARD)
    assert (error.value.expected, error.value.current) == (1, 2)


def test_roles_and_units_are_enforced(run: Run) -> None:
    task_id = uuid4()
    with pytest.raises(Forbidden, match="office"):
        run(register(task_id), STAFF)
    run(register(task_id), OFFICE)
    with pytest.raises(Forbidden, match="your unit is ql-kh"):
        run(report(task_id, 1), OTHER_STAFF)
    with pytest.raises(Forbidden):
        run(revise(task_id, target="ít nhất 1 doanh nghiệp"), STAFF)
    with pytest.raises(Forbidden):
        run(report(task_id, 1), INSPECTOR)


def test_a_second_writer_on_the_same_store_never_loses_an_update(app: CommitmentsApp, clock: MovableClock) -> None:
    """Two replicas: each caches the task; the second's copy goes stale and is refreshed, not overwritten."""
    one, two = CommandBatcher(app, clock=clock), CommandBatcher(app, clock=clock)
    task_id = uuid4()
    one.execute([Submission.of(register(task_id), OFFICE)])
    for batcher, value in ((two, 1), (one, 2), (two, 3), (one, 4)):
        sub = Submission.of(report(task_id, value), STAFF)
        batcher.execute([sub])
        assert sub.future.result().body["version"] == value + 1
    assert [e.achieved_value for e in app.history(task_id)[1:]] == [1, 2, 3, 4]  # type: ignore[attr-defined]


class CountingStore:
    """The store, counting the transactions tried on it (a stale copy costs a failed one and a retry)."""

    def __init__(self, app: CommitmentsApp) -> None:
        self.app, self.commits = app, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    def commit(self, tasks: Sequence[Task], commands: Sequence[CommandRecord]) -> None:
        self.commits += 1
        self.app.commit(tasks, commands)


def test_writers_sharing_the_store_catch_their_copies_up_instead_of_colliding(app: CommitmentsApp,
                                                                              clock: MovableClock) -> None:
    """Worker processes (CAMKET_WORKERS > 1): each writer first brings its cached copies up to date, so
    taking turns on one task costs one transaction per command, not a failed one and a retry."""
    store = CountingStore(app)
    one, two = (CommandBatcher(store, clock=clock, shared=True),  # type: ignore[arg-type]
                CommandBatcher(store, clock=clock, shared=True))  # type: ignore[arg-type]
    task_id = uuid4()
    one.execute([Submission.of(register(task_id), OFFICE)])
    for batcher, value in ((two, 1), (one, 2), (two, 3), (one, 4)):
        sub = Submission.of(report(task_id, value), STAFF)
        batcher.execute([sub])
        assert sub.future.result().body["version"] == value + 1
    assert [e.achieved_value for e in app.history(task_id)[1:]] == [1, 2, 3, 4]  # type: ignore[attr-defined]
    assert store.commits == 5


def test_registering_the_same_reference_twice_is_a_conflict(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    from commitments.domain.errors import InvalidState

    with pytest.raises(InvalidState, match="already registered") as error:
        run(register(task_id), OFFICE)
    assert error.value.field == "ref"
