"""Optimistic concurrency and idempotency on real PostgreSQL, with several replicas writing at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Outcome, OutcomeKind, Submission
from commitments.domain.errors import InvalidState, VersionConflict
from tests.integration.commitments.conftest import MakeApp
from tests.unit.commitments.builders import register, report, revise
from tests.unit.commitments.conftest import BOARD, OFFICE, STAFF

REPLICAS = 4


def _race(batchers: list[CommandBatcher], subs: list[Submission]) -> list[Outcome | BaseException]:
    """Submissions spread over the replicas, all starting together. Each replica has one writer
    thread (as in the service), so contention is between replicas, through the database."""
    start = threading.Barrier(len(batchers))

    def replica(r: int) -> None:
        start.wait()
        for sub in subs[r::len(batchers)]:
            batchers[r].execute([sub])

    with ThreadPoolExecutor(len(batchers)) as pool:
        list(pool.map(replica, range(len(batchers))))
    return [s.future.exception() or s.future.result() for s in subs]


def test_concurrent_revisions_of_one_task_exactly_one_per_version_wins(make_app: MakeApp) -> None:
    batchers = [CommandBatcher(make_app()) for _ in range(REPLICAS)]
    task_id = uuid4()
    batchers[0].execute([Submission.of(register(task_id), OFFICE)])
    for version in range(1, 6):
        subs = [Submission.of(revise(task_id, target=f"ít nhất {100 * version + n} doanh nghiệp", version=version),
                              BOARD) for n in range(12)]
        outcomes = _race(batchers, subs)
        won = [o for o in outcomes if isinstance(o, Outcome)]
        lost = [o for o in outcomes if isinstance(o, VersionConflict)]
        assert len(won) == 1 and len(lost) == 11, outcomes
        assert won[0].body["version"] == version + 1
        assert {o.current for o in lost} <= {version, version + 1}
    history = batchers[1].app.history(task_id)
    assert [e.task_version for e in history] == list(range(1, 7))


def test_concurrent_retries_of_one_command_record_it_once(make_app: MakeApp) -> None:
    batchers = [CommandBatcher(make_app()) for _ in range(REPLICAS)]
    task_id = uuid4()
    batchers[0].execute([Submission.of(register(task_id), OFFICE)])
    subs = [Submission.of(report(task_id, 7), STAFF, idempotency_key="bao-cao-thang-2", request={"v": 7})
            for _ in range(16)]
    outcomes = _race(batchers, subs)
    assert all(isinstance(o, Outcome) for o in outcomes), outcomes
    assert {o.body["version"] for o in outcomes if isinstance(o, Outcome)} == {2}
    assert sum(not o.replayed for o in outcomes if isinstance(o, Outcome)) == 1
    assert batchers[2].app.get_task(task_id).version == 2


def test_concurrent_writers_without_expected_versions_lose_no_update(make_app: MakeApp) -> None:
    """Four replicas hammer one task. Each command is applied exactly once or refused with a retry
    answer; the task's versions account for every accepted command, none lost, none doubled."""
    batchers = [CommandBatcher(make_app()) for _ in range(REPLICAS)]
    task_id = uuid4()
    batchers[0].execute([Submission.of(register(task_id), OFFICE)])
    subs = [Submission.of(report(task_id, n, note=f"lần {n}"), STAFF) for n in range(1, 25)]
    outcomes = _race(batchers, subs)
    accepted = [o for o in outcomes if isinstance(o, Outcome)]
    refused = [o for o in outcomes if not isinstance(o, Outcome)]
    assert all(isinstance(o, InvalidState) and "retry" in o.message for o in refused), refused
    assert len(accepted) >= 20  # refusals are rare even at this contention
    assert sorted(o.body["version"] for o in accepted) == list(range(2, 2 + len(accepted)))
    history = batchers[3].app.history(task_id)
    assert len(history) == 1 + len(accepted)
    assert sorted(e.note for e in history[1:]) == sorted(  # type: ignore[attr-defined]
        s.command.note for s in subs if not s.future.exception())  # type: ignore[attr-defined]


def test_a_large_batch_is_one_transaction_with_contiguous_notification_ids(make_app: MakeApp) -> None:
    app = make_app()
    batcher = CommandBatcher(app)
    subs = [Submission.of(register(uuid4(), ref=f"B-{n}"), OFFICE) for n in range(300)]
    batcher.execute(subs)
    assert all(s.future.result().kind is OutcomeKind.CREATED for s in subs)
    notifications = app.recorder.select_notifications(start=1, limit=1000)
    assert [n.id for n in notifications] == list(range(notifications[0].id, notifications[0].id + 300))
    listed = app.store.list_summaries("qt-skhcn", 2025)
    assert len(listed) == 300 and {s.version for s in listed} == {1}
