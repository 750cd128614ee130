"""The unit merger on real PostgreSQL: every open task of the unit moves in one transaction.

The all-or-nothing is shown where it matters: a replica whose cached copy of one task is stale
(another replica wrote it) fails that task's save; if the other tasks had been saved on their own,
the retry would find only the stale one still in the old unit. It answers all of them, once each."""

from __future__ import annotations

from uuid import uuid4

from commitments.application import commands as c
from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Outcome, Submission
from commitments.application.unit_merger import merger_id
from commitments.domain.lifecycle import Lifecycle
from tests.integration.commitments.conftest import MakeApp
from tests.unit.commitments.builders import APPROVAL, register, report
from tests.unit.commitments.conftest import BOARD, OFFICE, STAFF

ORG = "qt-skhcn"


def merger(key: str | None = None) -> Submission:
    command = c.ReassignUnit(task_id=merger_id(ORG, "ql-cndmst"), expected_version=None, org=ORG,
                             unit="ql-cndmst", to_unit="sttt", reason="Sáp nhập theo Quyết định", approval=APPROVAL,
                             program_year=2025)
    return Submission.of(command, OFFICE, idempotency_key=key, request={"merger": key})


def run(batcher: CommandBatcher, sub: Submission) -> Outcome:
    batcher.execute([sub])
    return sub.future.result()


def test_every_open_task_moves_in_one_transaction_even_past_a_stale_copy(make_app: MakeApp) -> None:
    first, second = CommandBatcher(make_app()), CommandBatcher(make_app())
    ids = [uuid4() for _ in range(4)]
    for n, task_id in enumerate(ids):
        run(first, Submission.of(register(task_id, ref=f"M-{n}"), OFFICE))
    other = uuid4()
    run(first, Submission.of(register(other, ref="OTHER", unit="ql-kh", cooperating_units=()), OFFICE))
    run(first, Submission.of(c.CancelTask(task_id=ids[3], expected_version=None, reason="Không còn phù hợp",
                                          approval=APPROVAL), BOARD))
    run(second, Submission.of(report(ids[1]), STAFF))  # `first` still caches ids[1] at version 1

    answer = run(first, merger("merge-1")).body
    assert answer["count"] == 3 and {t["task_id"] for t in answer["tasks"]} == {str(i) for i in ids[:3]}
    assert {t["task_id"]: t["version"] for t in answer["tasks"]} == {
        str(ids[0]): 2, str(ids[1]): 3, str(ids[2]): 2}
    fresh = make_app()
    for task_id in ids[:3]:
        history = fresh.history(task_id)
        assert [e.type for e in history].count("TaskReassigned") == 1 and history[-1].unit == "sttt"
    assert fresh.get_task(ids[1]).achieved_value == 4  # the other replica's report is kept
    assert fresh.get_task(ids[3]).unit == "ql-cndmst" and fresh.get_task(ids[3]).lifecycle is Lifecycle.CANCELLED
    assert fresh.get_task(other).unit == "ql-kh"
    summaries = {s.task_id: s.unit for s in fresh.store.list_summaries(ORG, 2025, None)}
    assert [summaries[i] for i in ids] == ["sttt", "sttt", "sttt", "ql-cndmst"]


def test_the_merger_is_idempotent(make_app: MakeApp) -> None:
    batcher = CommandBatcher(make_app())
    task_id = uuid4()
    run(batcher, Submission.of(register(task_id), OFFICE))
    once = run(batcher, merger("merge-2"))
    again = run(CommandBatcher(make_app()), merger("merge-2"))
    assert again.replayed and again.body == once.body and once.body["count"] == 1
    assert run(batcher, merger()).body["count"] == 0  # without a key: nothing left to move
    assert batcher.app.get_task(task_id).version == 2
