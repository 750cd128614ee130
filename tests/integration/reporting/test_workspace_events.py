"""The workspace's events through the reporting service on PostgreSQL and NATS: revision proposals
and evidence files are kept in the task's history (with what the dashboard needs to link a file)
and change none of the task's facts."""

from __future__ import annotations

import uuid
from datetime import date

from reporting.application import queries
from shared.contracts import v1
from tests.integration.reporting.conftest import Reporting
from tests.unit.reporting.builders import ORG, PDF, TaskScript, at, at_least, due_on


async def test_proposals_and_evidence_files_are_in_the_history(reporting: Reporting) -> None:
    task = TaskScript("QL-KH-09", "ql-kh", target=at_least(10), deadline=due_on(date(2025, 9, 30)))
    proposal = uuid.uuid4()
    registered = task.registered(at(date(2025, 1, 10)))  # built in order: each takes the next version
    report = task.progress(3, date(2025, 3, 15))
    report = v1.ProgressReportedV1.model_validate(report.model_dump() | {"evidence_files": [PDF.model_dump()]})
    await reporting.publish([
        registered, report,
        task.proposed(at(date(2025, 4, 1)), proposal, target=at_least(8)),
        task.declined(at(date(2025, 4, 3)), proposal),
    ])
    await reporting.catch_up()
    detail = await queries.task_detail(reporting.reads, ORG, task.task_id, now=at(date(2025, 5, 1)))
    assert [h.event_label for h in detail.history] == [
        "Giao nhiệm vụ", "Báo cáo tiến độ", "Đề xuất điều chỉnh chỉ tiêu, thời hạn",
        "Không chấp thuận đề xuất điều chỉnh"]
    reported, proposed, declined = detail.history[1:]
    assert reported.details["evidence_files"] == [PDF.model_dump(mode="json")]
    assert proposed.details["proposal_id"] == str(proposal)
    assert proposed.details["new_target"] == "ít nhất 8 doanh nghiệp"
    assert proposed.actor_role == "unit_head" and proposed.note == "Thiếu kinh phí"
    assert declined.details == {"proposal_id": str(proposal)} and declined.note == "Không đủ căn cứ"
    assert detail.task.achieved_value == 3 and detail.task.target.minimum == 10 and detail.task.version == 4
    assert detail.task.open_proposal_id is None  # declined


async def test_the_status_row_shows_an_open_proposal_until_the_board_decides(reporting: Reporting) -> None:
    task = TaskScript("QL-KH-10", "ql-kh", target=at_least(10), deadline=due_on(date(2025, 9, 30)))
    proposal = uuid.uuid4()
    await reporting.publish([task.registered(at(date(2025, 1, 10))),
                             task.proposed(at(date(2025, 4, 1)), proposal, deadline=due_on(date(2025, 12, 31)))])
    await reporting.catch_up()
    now = at(date(2025, 5, 1))
    assert (await queries.task_detail(reporting.reads, ORG, task.task_id, now=now)).task.open_proposal_id == proposal
    revised = task.revised(at(date(2025, 4, 5)), deadline=due_on(date(2025, 12, 31)))
    await reporting.publish([v1.TargetRevisedV1.model_validate(revised.model_dump() | {"proposal_id": proposal})])
    await reporting.catch_up()
    detail = await queries.task_detail(reporting.reads, ORG, task.task_id, now=now)
    assert detail.task.open_proposal_id is None and detail.task.revisions == 1
    assert detail.history[-1].details["proposal_id"] == str(proposal)
    states, _ = await queries.states_at(reporting.reads, ORG, now=now, as_of=at(date(2025, 4, 2)))
    assert [s.open_proposal_id for s in states] == [proposal]  # the history rows keep it: as it stood then
