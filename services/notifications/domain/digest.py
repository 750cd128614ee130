"""The weekly and monthly briefing ("trực báo tuần, tháng") for the Office and the Board, composed
from the service's own task facts. Pure.

"What changed" reads the facts' latest marks (last report, last revision, confirmation,
cancellation, registration) that fall in the period: composed right after the period ends, they
are the period's own; a task reported again since counts under the later report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from notifications.domain.briefing_periods import BriefingKind, BriefingPeriod
from notifications.domain.facts import TaskFacts
from notifications.domain.messages import quantity, task_label
from shared.catalog import Organisation
from shared.rules.briefings import changed_within, due_next, is_overdue
from shared.status import TaskStatus, status_at, status_facts
from shared.vn import format_date, format_datetime, format_quantity, nfc

LIST_LIMIT = 40


@dataclass(frozen=True)
class Briefing:
    kind: BriefingKind
    period: str
    subject: str
    body: str


def status_of(f: TaskFacts, now: datetime) -> TaskStatus:
    return status_at(status_facts(f.lifecycle, f.due_at, f.last_report_as_of, f.completed_on), now)


def compose(tasks: Sequence[TaskFacts], period: BriefingPeriod, now: datetime, org: Organisation) -> Briefing:
    def within(mark: Callable[[TaskFacts], datetime | None]) -> list[TaskFacts]:
        return [f for f in tasks if changed_within(mark(f), period.window)]

    statuses = Counter(status_of(f, now) for f in tasks)
    overdue = [f for f in tasks if is_overdue(status_of(f, now))]
    coming = [f for f in tasks if due_next(f.lifecycle, f.due_at, period.following)]
    revised = within(lambda f: f.revised_at)
    title = "Trực báo " + period.label  # one wording with the dashboard's page (shared.rules.briefings)
    sections = [
        f"{title.upper()}\n{org.name}\nTổng hợp lúc {format_datetime(now)} từ dữ liệu của hệ thống Cam kết.",
        _overview(len(tasks), statuses),
        _section("Nhiệm vụ mới giao", within(lambda f: f.registered_at), org,
                 lambda f: f"hạn {format_date(f.due_at)}"),
        _section("Có báo cáo tiến độ", within(lambda f: f.last_report_at), org, _progress),
        _section("Đề nghị xác nhận hoàn thành", within(lambda f: f.completion_requested_at), org,
                 lambda f: f"hoàn thành ngày {format_date(f.completed_on)}"),
        _section("Được xác nhận hoàn thành", within(lambda f: f.completed_at), org,
                 lambda f: status_of(f, now).label),
        _section("Điều chỉnh chỉ tiêu, thời hạn", revised, org, _revision),
        _section("Bị hủy", within(lambda f: f.cancelled_at), org, lambda f: f"ngày {format_date(f.cancelled_at)}"),
        _section("Đang quá hạn", sorted(overdue, key=lambda f: f.due_at), org,
                 lambda f: f"hạn {format_date(f.due_at)}"),
        _section(f"Đến hạn trong {'tuần' if period.kind is BriefingKind.WEEKLY else 'tháng'} tới",
                 sorted(coming, key=lambda f: f.due_at), org, lambda f: f"hạn {format_date(f.due_at)}"),
    ]
    subject = f"[{org.short_name}] {title}"
    return Briefing(period.kind, period.code, nfc(subject), nfc("\n\n".join(sections) + "\n"))


def _overview(total: int, statuses: Counter[TaskStatus]) -> str:
    lines = [f"Tình hình chung: {total} nhiệm vụ"]
    lines += [f"  - {status.label}: {statuses[status]}" for status in TaskStatus if statuses[status]]
    return "\n".join(lines)


def _section(heading: str, tasks: Sequence[TaskFacts], org: Organisation, note: Callable[[TaskFacts], str]) -> str:
    lines = [f"{heading}: {len(tasks)}"]
    lines += [f"  - {task_label(f, org)}: {note(f)}" for f in tasks[:LIST_LIMIT]]
    if len(tasks) > LIST_LIMIT:
        lines.append(f"  … và {len(tasks) - LIST_LIMIT} nhiệm vụ khác")
    return "\n".join(lines)


def _progress(f: TaskFacts) -> str:
    as_of = f"số liệu đến ngày {format_date(f.last_report_as_of)}"
    if f.achieved_value is None:
        return as_of
    target = f" / {quantity(f.target_minimum, f)}" if f.target_minimum else f" {f.measure}".rstrip()
    return f"đạt {format_quantity(f.achieved_value)}{target} ({as_of})"


def _revision(f: TaskFacts) -> str:
    changes = [text for flag, text in ((f.target_lowered, "giảm chỉ tiêu"), (f.deadline_extended, "lùi hạn"))
               if flag]
    return (", ".join(changes) or "điều chỉnh") + f"; chỉ tiêu “{f.target_text}”, hạn {format_date(f.due_at)}"
