"""A task's life, step by step, through the application (in memory), and the rules that refuse changes."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from commitments.application import commands as c
from commitments.application.service import CommitmentsApp
from commitments.domain.errors import InvalidState, InvalidValue
from tests.unit.commitments.builders import APPROVAL, register, report, revise
from tests.unit.commitments.conftest import BOARD, HEAD, OFFICE, STAFF, MovableClock, Run


def test_a_task_is_registered_reported_revised_completed_and_confirmed(app: CommitmentsApp, run: Run,
                                                                      clock: MovableClock) -> None:
    task_id = uuid4()
    assert run(register(task_id), OFFICE).body["version"] == 1
    run(report(task_id, 4, evidence=("Báo cáo số 12/BC-QLCN",)), STAFF)
    clock.advance(days=30)
    run(revise(task_id, target="ít nhất 8 doanh nghiệp", deadline="Quý III/2025"), BOARD)
    run(report(task_id, 9, as_of=date(2025, 3, 30), period="2025-03"), STAFF)
    run(c.RequestCompletion(task_id=task_id, expected_version=None, completed_on=date(2025, 3, 30), note="Xong",
                            evidence=()), HEAD)
    run(c.ConfirmCompletion(task_id=task_id, expected_version=None, note="Đồng ý"), BOARD)

    task = app.get_task(task_id)
    assert (task.lifecycle.value, task.achieved_value, task.target.minimum, task.version) == ("completed", 9, 8, 6)
    assert task.target.exceeds(9)
    history = app.history(task_id)
    assert [e.type for e in history] == ["TaskRegistered", "ProgressReported", "TargetRevised", "ProgressReported",
                                         "CompletionRequested", "CompletionConfirmed"]
    revision = history[2]
    assert revision.actor.role == "board" and revision.reason.startswith("Điều chỉnh")  # type: ignore[attr-defined]
    assert revision.target_lowered and revision.deadline_extended  # type: ignore[attr-defined]
    assert history[-1].on_time  # type: ignore[attr-defined]


def test_every_event_carries_the_authenticated_actor_and_its_recorded_time(app: CommitmentsApp, run: Run,
                                                                           clock: MovableClock) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    clock.advance(hours=5)
    run(report(task_id, 1), STAFF)
    registered, reported = app.history(task_id)
    assert (registered.actor.user_id, registered.actor.role, registered.actor.unit) == ("office.vp", "office", "vp")
    assert (reported.actor.user_id, reported.actor.role) == ("unit_staff.ql-cndmst", "unit_staff")
    assert reported.recorded_at - registered.recorded_at == clock.now - registered.recorded_at


def test_no_progress_on_a_cancelled_or_confirmed_task(run: Run) -> None:
    cancelled, done = uuid4(), uuid4()
    run(register(cancelled), OFFICE)
    run(c.CancelTask(task_id=cancelled, expected_version=None, reason="Không còn phù hợp", approval=APPROVAL), BOARD)
    with pytest.raises(InvalidState, match="cancelled"):
        run(report(cancelled, 1), STAFF)
    run(register(done, ref="X-2"), OFFICE)
    run(c.RequestCompletion(task_id=done, expected_version=None, completed_on=date(2025, 2, 1), note="",
                            evidence=()), STAFF)
    run(c.ConfirmCompletion(task_id=done, expected_version=None, note=""), BOARD)
    with pytest.raises(InvalidState, match="completed"):
        run(report(done, 1), STAFF)


def test_confirming_what_was_not_requested_is_refused(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    with pytest.raises(InvalidState, match="awaiting_confirmation"):
        run(c.ConfirmCompletion(task_id=task_id, expected_version=None, note=""), BOARD)


def test_a_rejected_completion_returns_the_task_to_work_with_its_reason(app: CommitmentsApp, run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    run(c.RequestCompletion(task_id=task_id, expected_version=None, completed_on=date(2025, 2, 1), note="",
                            evidence=()), STAFF)
    with pytest.raises(InvalidValue) as error:
        run(c.RejectCompletion(task_id=task_id, expected_version=None, reason="  "), BOARD)
    assert error.value.field == "reason"
    run(c.RejectCompletion(task_id=task_id, expected_version=None, reason="Chưa đủ hồ sơ minh chứng"), BOARD)
    assert app.get_task(task_id).lifecycle.value == "active"


def test_a_revision_needs_a_reason_and_a_change(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    with pytest.raises(InvalidValue, match="reason") as error:
        run(revise(task_id, target="ít nhất 5 doanh nghiệp", reason=""), BOARD)
    assert error.value.field == "reason"
    with pytest.raises(InvalidValue, match="changes nothing"):
        run(revise(task_id, target="ít nhất 10 doanh nghiệp"), BOARD)


@pytest.mark.parametrize(("value", "note", "message"), [
    (-1, "", "negative"), (None, "", "needs achieved_value")])
def test_progress_values_are_checked(run: Run, value: float | None, note: str, message: str) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    with pytest.raises(InvalidValue, match=message) as error:
        run(report(task_id, value, note=note), STAFF)
    assert error.value.field == "achieved_value"


def test_a_lower_cumulative_value_is_a_correction_that_needs_a_note(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    run(report(task_id, 6), STAFF)
    with pytest.raises(InvalidValue, match="went down") as error:
        run(report(task_id, 5), STAFF)
    assert error.value.field == "note"
    run(report(task_id, 5, note="Đính chính: một doanh nghiệp báo trùng"), STAFF)


def test_reports_cannot_be_dated_in_the_future(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    with pytest.raises(InvalidValue) as error:
        run(report(task_id, 1, as_of=date(2025, 3, 2)), STAFF)  # the clock says 01/03/2025
    assert error.value.field == "as_of"


def test_a_qualitative_task_is_reported_in_words(run: Run) -> None:
    task_id = uuid4()
    from commitments.domain.targets import qualitative

    run(register(task_id, target=qualitative()), OFFICE)
    with pytest.raises(InvalidValue, match="qualitative"):
        run(report(task_id, 3), STAFF)
    run(report(task_id, None, note="Đã tổ chức 2 buổi làm việc với Liên minh HTX tỉnh"), STAFF)


def test_a_suspended_task_takes_no_reports_until_resumed(run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    run(c.SuspendTask(task_id=task_id, expected_version=None, reason="Chờ hợp nhất", approval=APPROVAL), BOARD)
    with pytest.raises(InvalidValue, match="suspended"):
        run(report(task_id, 1), STAFF)
    run(c.ResumeTask(task_id=task_id, expected_version=None, note="Tiếp tục"), BOARD)
    run(report(task_id, 1), STAFF)


def test_a_task_moves_to_its_new_unit_when_units_merge(app: CommitmentsApp, run: Run) -> None:
    task_id = uuid4()
    run(register(task_id, cooperating_units=("tt-cgcn", "so-tttt")), OFFICE)
    run(c.ReassignTask(task_id=task_id, expected_version=None, to_unit="so-tttt",
                       reason="Hợp nhất với Sở Thông tin và Truyền thông", approval=APPROVAL), OFFICE)
    task = app.get_task(task_id)
    assert task.unit == "so-tttt" and task.cooperating_units == ("tt-cgcn",)
    reassigned = app.history(task_id)[-1]
    assert (reassigned.from_unit, reassigned.to_unit, reassigned.task.title) == (  # type: ignore[attr-defined]
        "ql-cndmst", "so-tttt", task.title)
    with pytest.raises(InvalidValue, match="already belongs"):
        run(c.ReassignTask(task_id=task_id, expected_version=None, to_unit="so-tttt", reason="x", approval=None),
            OFFICE)


def test_registration_rules_name_their_field(run: Run) -> None:
    with pytest.raises(InvalidValue) as error:
        run(register(unit="Phòng QLKH"), OFFICE)
    assert error.value.field == "unit"
    with pytest.raises(InvalidValue) as error:
        run(register(cooperating_units=("ql-cndmst",)), OFFICE)
    assert error.value.field == "cooperating_units"
    with pytest.raises(InvalidValue) as error:
        run(register(title=" "), OFFICE)
    assert error.value.field == "title"


def test_a_task_with_a_long_history_loads_from_its_snapshot_and_keeps_working(app: CommitmentsApp,
                                                                              run: Run) -> None:
    task_id = uuid4()
    run(register(task_id), OFFICE)
    for n in range(1, 130):
        run(report(task_id, n), STAFF)
    assert app.snapshots is not None and list(app.snapshots.get(task_id))  # a snapshot was taken at 100
    fresh = app.get_task(task_id)
    assert (fresh.version, fresh.achieved_value, fresh.lifecycle.value) == (130, 129, "active")
    run(c.RequestCompletion(task_id=task_id, expected_version=130, completed_on=date(2025, 2, 28), note="",
                            evidence=()), STAFF)
    assert app.load_many([task_id])[task_id].lifecycle.value == "awaiting_confirmation"
