"""The status a dashboard shows, at the boundaries: due today, due yesterday, confirmed one day late,
ranges met at their minimum, milestones, qualitative tasks, recurring yearly tasks, reassigned tasks.
Status is computed from the facts and "now", so the same facts a day later give today's status."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import reduce

from reporting.application.present import task_view
from reporting.application.views import TaskView
from reporting.domain.task_state import TaskState, evolve
from reporting.integration.contract_v1 import translate
from shared.contracts.common import DeadlineV1 as Deadline
from shared.contracts.v1 import TaskEventV1
from shared.vn import local_instant
from tests.unit.reporting.builders import (
    TaskScript,
    at,
    at_least,
    between,
    due_on,
    exactly,
    milestone,
    percentage,
    qualitative,
    recurring_from,
)

TODAY = date(2025, 6, 16)


def state_of(*events: TaskEventV1) -> TaskState:
    folded = reduce(lambda s, e: evolve(s, translate(e)), events, None)
    assert folded is not None
    return folded


class Task(TaskScript):
    """A task registered on 10/01 of its year, as soon as it is written down (the first version)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.registration = self.registered(at(date(self.year, 1, 10)))


def view(task: Task, *later: TaskEventV1, now: datetime) -> TaskView:
    return task_view(state_of(task.registration, *later), now)


def exact(day: date, hour: int) -> Deadline:
    due = local_instant(day, time(hour, 0))
    return Deadline(kind="exact", text=f"{hour}h00 ngày {day:%d/%m/%Y}", starts_at=None, ends_at=due, recurring=False,
                    due_at=due)


def test_due_today_is_due_soon_with_no_day_left() -> None:
    task = Task(deadline=due_on(TODAY))
    v = view(task, now=at(TODAY, 10))
    assert (v.status.code, v.status.label, v.days_left) == ("due_soon", "Sắp quá hạn", 0)


def test_due_yesterday_is_overdue_in_red_and_at_risk() -> None:
    task = Task(deadline=due_on(date(2025, 6, 15)))
    v = view(task, task.progress(3, date(2025, 6, 1)), now=local_instant(TODAY, time(0, 0, 1)))
    assert (v.status.label, v.status.colour, v.days_left, v.pace.code) == (
        "Đang thực hiện quá hạn", "red", -1, "at_risk")


def test_the_same_facts_a_day_later_show_that_days_status() -> None:
    task = Task(deadline=due_on(TODAY))
    state = state_of(task.registration, task.progress(2, date(2025, 6, 10)))
    assert task_view(state, at(TODAY, 23)).status.code == "due_soon"
    assert task_view(state, at(date(2025, 6, 17), 8)).status.code == "in_progress_overdue"


def test_due_soon_starts_three_days_before_the_deadline_to_the_second() -> None:
    task = Task(deadline=due_on(date(2025, 6, 20)))  # due 23:59:59 on 20/06
    state = state_of(task.registration, task.progress(1, date(2025, 6, 1)))
    assert task_view(state, local_instant(date(2025, 6, 17), time(23, 59, 58))).status.code == "in_progress_on_time"
    assert task_view(state, local_instant(date(2025, 6, 17), time(23, 59, 59))).status.code == "due_soon"


def test_not_started_until_a_first_report() -> None:
    task = Task(deadline=due_on(date(2025, 12, 31)))
    assert view(task, now=at(TODAY)).status.label == "Chưa thực hiện"
    task = Task(deadline=due_on(date(2025, 12, 31)))
    assert view(task, task.progress(None, date(2025, 6, 1)), now=at(TODAY)).status.label == "Đang thực hiện trong hạn"


def test_confirmed_one_day_late_is_completed_late_in_orange() -> None:
    task = Task(deadline=due_on(date(2025, 6, 30)))
    v = view(task, task.progress(10, date(2025, 7, 1)), task.requested(date(2025, 7, 1)),
             task.confirmed(at(date(2025, 7, 3))), now=at(date(2025, 7, 5)))
    assert (v.status.label, v.status.colour, v.on_time, v.days_left) == ("Hoàn thành quá hạn", "orange", False, None)


def test_completed_on_the_day_it_falls_due_is_on_time_whenever_confirmed() -> None:
    task = Task(deadline=due_on(date(2025, 6, 30)))
    v = view(task, task.requested(date(2025, 6, 30)), task.confirmed(at(date(2025, 7, 9))), now=at(date(2025, 7, 9)))
    assert (v.status.label, v.status.colour, v.on_time) == ("Hoàn thành đúng hạn", "green", True)


def test_awaiting_confirmation_stays_so_past_the_deadline_and_a_rejection_reopens() -> None:
    task = Task(deadline=due_on(date(2025, 6, 30)))
    requested = task.requested(date(2025, 6, 29))
    assert view(task, requested, now=at(date(2025, 7, 2))).status.label == "Chờ xác nhận"
    task = Task(deadline=due_on(date(2025, 6, 30)))
    reopened = [task.progress(1, date(2025, 6, 1)), task.requested(date(2025, 6, 29)),
                task.rejected(at(date(2025, 7, 1)))]
    assert view(task, *reopened, now=at(date(2025, 7, 2))).status.label == "Đang thực hiện quá hạn"


def test_an_exact_hour_deadline_turns_overdue_at_that_minute() -> None:
    due_day = date(2025, 12, 24)
    task = Task(deadline=exact(due_day, 15))
    assert view(task, now=local_instant(due_day, time(14, 59))).status.code == "due_soon"
    task = Task(deadline=exact(due_day, 15))
    assert view(task, now=local_instant(due_day, time(15, 1))).status.code == "in_progress_overdue"


def test_a_range_is_met_at_its_minimum_and_exceeded_above_its_maximum() -> None:
    task = Task(target=between(1, 2, "lớp"))
    met = view(task, task.progress(1, date(2025, 3, 1)), now=at(TODAY))
    assert (met.target_met, met.percent_of_target, met.exceeds_target, met.over_achievement) == (
        True, 100.0, False, None)
    task = Task(target=between(1, 2, "lớp"))
    within = view(task, task.progress(2, date(2025, 3, 1)), now=at(TODAY))
    assert (within.percent_of_target, within.exceeds_target) == (200.0, False)
    task = Task(target=between(1, 2, "lớp"))
    above = view(task, task.progress(3, date(2025, 3, 1)), now=at(TODAY))
    assert (above.exceeds_target, above.over_achievement) == (True, 1.0)


def test_at_least_and_exactly_exceed_only_above_their_number() -> None:
    task = Task(target=at_least(10))
    assert not view(task, task.progress(10, date(2025, 3, 1)), now=at(TODAY)).exceeds_target
    task = Task(target=exactly(3))
    over = view(task, task.progress(4, date(2025, 3, 1)), now=at(TODAY))
    assert (over.target_met, over.exceeds_target, over.over_achievement) == (True, True, 1.0)


def test_a_percentage_short_of_its_target_is_not_met() -> None:
    task = Task(target=percentage(100))
    v = view(task, task.progress(98.62, date(2025, 3, 1)), now=at(TODAY))
    assert (v.percent_of_target, v.target_met, v.exceeds_target) == (98.62, False, False)


def test_a_milestone_is_done_at_one_and_never_exceeds() -> None:
    task = Task(target=milestone(), deadline=due_on(date(2025, 9, 30)))
    pending = view(task, task.progress(0, date(2025, 3, 1)), now=at(TODAY))
    assert (pending.percent_of_target, pending.target_met, pending.pace.code) == (0.0, False, "not_applicable")
    done = view(task, task.progress(1, date(2025, 3, 1)), task.progress(1, date(2025, 4, 1)), now=at(TODAY))
    assert (done.percent_of_target, done.target_met, done.exceeds_target, done.pace.code) == (
        100.0, True, False, "on_track")
    late = Task(target=milestone(), deadline=due_on(date(2025, 5, 31)))
    assert view(late, late.progress(0, date(2025, 3, 1)), now=at(TODAY)).pace.code == "at_risk"


def test_a_qualitative_task_has_no_percentage_and_is_judged_by_its_dates() -> None:
    task = Task(target=qualitative("Nâng cao chất lượng tham mưu"), deadline=due_on(date(2025, 6, 15)))
    v = view(task, task.progress(None, date(2025, 5, 1)), now=at(TODAY))
    assert (v.percent_of_target, v.target_met, v.exceeds_target) == (None, None, False)
    assert (v.status.code, v.pace.code) == ("in_progress_overdue", "at_risk")


def test_a_recurring_yearly_task_falls_due_at_the_end_of_its_program_year() -> None:
    task = Task(year=2026, target=percentage(100), deadline=recurring_from(2025, 2026))
    reported = task.progress(60, date(2026, 6, 1))
    assert view(task, reported, now=at(date(2026, 6, 16))).deadline.due_on == date(2026, 12, 31)
    task = Task(year=2026, target=percentage(100), deadline=recurring_from(2025, 2026))
    reported = task.progress(60, date(2026, 6, 1))
    assert view(task, reported, now=at(date(2026, 12, 29))).status.code == "due_soon"
    task = Task(year=2026, target=percentage(100), deadline=recurring_from(2025, 2026))
    reported = task.progress(60, date(2026, 6, 1))
    assert view(task, reported, now=at(date(2027, 1, 1))).status.code == "in_progress_overdue"


def test_a_reassigned_task_belongs_to_its_new_unit_and_remembers_the_old() -> None:
    task = Task(unit="tt-cntt", deadline=due_on(date(2025, 12, 31)))
    moved = [task.progress(3, date(2025, 2, 1)), task.reassigned("vp", at(date(2025, 3, 1)))]
    v = view(task, *moved, now=at(TODAY))
    assert (v.unit, v.previous_units, v.achieved_value, v.version) == ("vp", ["tt-cntt"], 3.0, 3)
    assert v.status.code == "in_progress_on_time"


def test_suspended_and_cancelled_tasks_show_so_whatever_the_date() -> None:
    task = Task(deadline=due_on(date(2025, 3, 31)))
    assert view(task, task.suspended(at(date(2025, 3, 1))), now=at(TODAY)).status.label == "Tạm hoãn"
    task = Task(deadline=due_on(date(2025, 3, 31)))
    cancelled = view(task, task.cancelled(at(date(2025, 3, 1))), now=at(TODAY))
    assert (cancelled.status.label, cancelled.pace.code, cancelled.days_left) == ("Đã hủy", "not_applicable", None)


def test_a_revision_moves_the_deadline_and_the_status_with_it() -> None:
    task = Task(deadline=due_on(date(2025, 6, 15)))
    extended = task.revised(at(date(2025, 6, 10)), deadline=due_on(date(2025, 9, 30)), target=at_least(5))
    v = view(task, task.progress(3, date(2025, 6, 1)), extended, now=at(TODAY))
    assert (v.status.code, v.deadline.due_on, v.target.minimum, v.revisions) == (
        "in_progress_on_time", date(2025, 9, 30), 5.0, 1)
