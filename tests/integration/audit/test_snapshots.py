"""A snapshot row forged in PostgreSQL changes nothing a user sees, and `verify` reports it.

A task gets a snapshot at version 100. A database administrator then rewrites that snapshot (moving
the task to another unit and raising its progress), or copies a genuinely signed event row into the
snapshots table: the service, the publisher's loader and the audit all read the true task, a unit
staff of the forged unit is refused, one of the true unit is served, and the verification names the row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from psycopg.sql import Identifier

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import OutcomeKind, Submission
from commitments.application.permissions import Forbidden
from commitments.application.service import CommitmentsApp
from commitments.audit.adapters.reader import TaskReader
from tests.integration.audit.conftest import AuditLog
from tests.integration.publisher.http import api
from tests.unit.audit.conftest import OFFICE, STAFF, principal
from tests.unit.commitments.builders import register, report

INTRUDER = principal("unit_staff", "tt-cgcn")  # staff of the unit the forgery names


def long_task(log: AuditLog) -> UUID:
    task_id = uuid4()
    log.run(register(task_id), OFFICE)
    for value in range(1, 105):
        log.clock.advance(minutes=5)
        log.run(report(task_id, value), STAFF)
    return task_id


def snapshot_rows(log: AuditLog, task_id: UUID) -> list[tuple[int, str, bytes]]:
    return log.conn.execute(  # type: ignore[no-any-return]
        f"SELECT originator_version, topic, state FROM {log.settings.db_schema}.commitments_snapshots "
        "WHERE originator_id = %s", (task_id,)).fetchall()


def forge_snapshot(log: AuditLog, task_id: UUID) -> None:
    """Rewrites the snapshot's state: the unit and the reference (the signature no longer matches)."""
    (version, _, state), = snapshot_rows(log, task_id)
    forged = bytes(state).replace(b'"unit":"ql-cndmst"', b'"unit":"tt-cgcn"').replace(
        b'"ref":"QL-CNDMST-03"', b'"ref":"GIA-MAO-99"')
    assert forged.count(b'"unit":"tt-cgcn"') == 1 and forged.count(b"GIA-MAO-99") == 1
    changed = log.tamper("UPDATE {schema}.commitments_snapshots SET state = %s WHERE originator_id = %s",
                         forged, task_id)
    assert changed == 1 and version == 100


def seen_by_users(app: CommitmentsApp, task_id: UUID) -> list[tuple[str, str, float | None, int]]:
    """The task as each read path gives it: the repository, the batched loader, the publisher's loader."""
    tasks = [app.get_task(task_id), app.load_many([task_id])[task_id],
             app.repository.get(task_id, version=104)]
    return [(t.unit, t.ref, t.achieved_value, t.version) for t in tasks]  # type: ignore[attr-defined]


def test_a_forged_snapshot_changes_nothing_and_verify_reports_it(log: AuditLog, writer: CommitmentsApp) -> None:
    task_id = long_task(log)
    assert [v for v, _, _ in snapshot_rows(log, task_id)] == [100]
    truth = seen_by_users(writer, task_id)
    assert truth == [("ql-cndmst", "QL-CNDMST-03", 104, 105), ("ql-cndmst", "QL-CNDMST-03", 104, 105),
                     ("ql-cndmst", "QL-CNDMST-03", 103, 104)]
    log.checkpoint()
    assert log.verify().ok and log.verify().snapshots_checked == 1

    forge_snapshot(log, task_id)
    assert seen_by_users(writer, task_id) == truth
    view = writer.task_view(task_id, datetime(2025, 3, 20, tzinfo=UTC))
    assert (view["unit"], view["ref"], view["achieved_value"]) == ("ql-cndmst", "QL-CNDMST-03", 104)
    audit_view = TaskReader(writer, log.audit.event_keys).task_at(task_id, 104)
    assert (audit_view.unit, audit_view.achieved_value) == ("ql-cndmst", 103)

    batcher = CommandBatcher(writer, clock=log.clock)  # a fresh writer: nothing cached from before
    refused = Submission.of(report(task_id, 1), INTRUDER)
    batcher.execute([refused])
    with pytest.raises(Forbidden, match="belongs to unit ql-cndmst"):
        refused.future.result()
    served = Submission.of(report(task_id, 105), STAFF)
    batcher.execute([served])
    assert served.future.result().kind is OutcomeKind.OK

    found = log.verify()
    assert not found.ok
    assert [(f.kind, f.task_id, f.version) for f in found.findings] == [("snapshot_forged", task_id, 100)]


def test_a_signed_event_copied_into_the_snapshots_table_is_no_snapshot(log: AuditLog, writer: CommitmentsApp
                                                                        ) -> None:
    task_id = long_task(log)
    truth = seen_by_users(writer, task_id)
    events = Identifier(log.settings.db_schema, "commitments_events").as_string(log.conn)
    log.tamper("DELETE FROM {schema}.commitments_snapshots WHERE originator_id = %s", task_id)
    log.tamper(f"INSERT INTO {{schema}}.commitments_snapshots (originator_id, originator_version, topic, state) "
               f"SELECT originator_id, 103, topic, state FROM {events} "
               "WHERE originator_id = %s AND originator_version = 103", task_id)
    assert seen_by_users(writer, task_id) == truth
    log.checkpoint()
    assert [f.kind for f in log.verify().findings] == ["snapshot_forged"]


async def test_through_the_http_api_the_forged_snapshot_is_not_seen_and_not_obeyed(
        log: AuditLog, writer: CommitmentsApp, tmp_path: Path) -> None:
    task_id = long_task(log)
    forge_snapshot(log, task_id)
    async with api(log.settings, writer, tmp_path / "keys") as http:
        task = (await http.client.get(f"/api/v1/tasks/{task_id}", headers=http.auth("board", "bgd"))).json()
        assert (task["unit"], task["ref"], task["achieved_value"], task["version"]) == (
            "ql-cndmst", "QL-CNDMST-03", 104, 105)
        body = {"as_of": "2025-03-31", "period": "2025-Q1", "achieved_value": 1, "note": "Giả mạo"}
        path = f"/api/v1/tasks/{task_id}/progress-reports"
        intruder = await http.client.post(path, json=body, headers=http.auth("unit_staff", "tt-cgcn"))
        assert intruder.status_code == 403, intruder.text
        owner = await http.client.post(path, json=body | {"achieved_value": 105},
                                       headers=http.auth("unit_staff", "ql-cndmst"))
        assert owner.status_code == 200, owner.text
