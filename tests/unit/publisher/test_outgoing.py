"""Stored events → outgoing messages: CloudEvents headers, subjects by unit and type, the contract as
the body, in notification order; the partitions of a window add up to the window."""

from __future__ import annotations

from uuid import UUID

import pytest

from commitments.application.service import CommitmentsApp
from commitments.integration.translator import event_id
from commitments.publisher.log import ForeignOrganisation, NotificationLog
from shared.contracts.v1 import ProgressReportedV1, TaskRegisteredV1, parse_task_event
from shared.envelope import CloudEvent
from shared.subjects import Subjects
from tests.unit.publisher.conftest import SUBJECTS


def test_each_event_becomes_a_cloudevent_on_its_units_subject(log: NotificationLog,
                                                              owned: list[tuple[UUID, str]]) -> None:
    messages = log.read(0, 100)
    assert [m.notification_id for m in messages] == list(range(1, 25))
    first = messages[0]
    envelope = CloudEvent.from_message(first.headers, first.data)
    contract = parse_task_event(first.data)
    assert isinstance(contract, TaskRegisteredV1)
    assert first.subject == f"camket.v1.qt-skhcn.events.{contract.unit}.TaskRegistered"
    assert envelope.id == first.headers["Nats-Msg-Id"] == str(contract.event_id) == first.event_id
    assert envelope.id == str(event_id(contract.task_id, 1))
    assert envelope.sequence == 1 and envelope.subject == str(contract.task_id)
    assert envelope.type == "vn.camket.task.TaskRegistered.v1" and envelope.source == "/camket/qt-skhcn/commitments"
    assert envelope.time == contract.recorded_at and first.parent is None


def test_reports_carry_the_tasks_version_after_them(log: NotificationLog, owned: list[tuple[UUID, str]]) -> None:
    reports = [parse_task_event(m.data) for m in log.read(6, 100)]
    assert all(isinstance(r, ProgressReportedV1) for r in reports)
    by_task: dict[UUID, list[int]] = {}
    for report in reports:
        by_task.setdefault(report.task_id, []).append(report.task_version)
    assert all(versions == [2, 3, 4] for versions in by_task.values())


def test_reading_resumes_after_any_notification_id(log: NotificationLog, owned: list[tuple[UUID, str]]) -> None:
    assert [m.notification_id for m in log.read(10, 5)] == [11, 12, 13, 14, 15]
    assert [m.notification_id for m in log.read(10, 100, stop=12)] == [11, 12]
    assert log.read(24, 100) == []


def test_partitions_by_task_add_up_to_the_window(app: CommitmentsApp, owned: list[tuple[UUID, str]]) -> None:
    whole = NotificationLog(app, SUBJECTS).read(0, 100)
    halves = [NotificationLog(app, SUBJECTS).read(0, 100, None, part, 2) for part in (0, 1)]
    assert sorted(halves[0] + halves[1]) == sorted(whole)
    # <=, not ==: with a handful of random task ids one half may hold none of them
    assert all({parse_task_event(m.data).task_id.int % 2 for m in half} <= {part} for part, half in enumerate(halves))


def test_a_task_of_another_organisation_is_refused(app: CommitmentsApp, owned: list[tuple[UUID, str]]) -> None:
    with pytest.raises(ForeignOrganisation, match="qt-skhcn"):
        NotificationLog(app, Subjects("other-org", "camket")).read(0, 1)


def test_the_public_id_at_a_notification_id(log: NotificationLog, owned: list[tuple[UUID, str]]) -> None:
    assert log.event_id_at(1) == str(event_id(owned[0][0], 1))
    assert log.event_id_at(999) is None
    assert log.last_id() == 24


def test_a_nul_goes_out_as_it_is_and_an_event_with_a_lone_surrogate_made_storable(
        log: NotificationLog, owned: list[tuple[UUID, str]]) -> None:
    from commitments.publisher.outgoing import outgoing

    report = parse_task_event(log.read(6, 1)[0].data)
    with_nul = outgoing(7, report.model_copy(update={"note": "a\x00b"}), SUBJECTS)
    assert parse_task_event(with_nul.data).note == "a\x00b"  # type: ignore[attr-defined]
    hand_written = report.model_copy(update={"note": "x\ud800y\x00z"})  # only a row written by hand holds one
    message = outgoing(7, hand_written, SUBJECTS)
    assert parse_task_event(message.data).note == "x\ufffdy\u2400z"  # type: ignore[attr-defined]
