"""Command records on PostgreSQL: the answer's kind is stored as the HTTP status it had (the column
`status_code`, as every row stored so far holds it), and a row stored by an earlier version answers its
replay as it did then."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import OutcomeKind, Submission
from commitments.config import CommitmentsSettings
from tests.integration.commitments.conftest import MakeApp
from tests.unit.commitments.builders import register, report
from tests.unit.commitments.conftest import OFFICE, STAFF


def stored_codes(settings: CommitmentsSettings) -> dict[str, int]:
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute(sql.SQL("SELECT command_id, status_code FROM {}.commitments_commands").format(
            sql.Identifier(settings.db_schema))).fetchall()
    return {command_id: code for command_id, code in rows}


def test_new_records_store_the_status_code_and_replay_their_kind(make_app: MakeApp,
                                                                 settings: CommitmentsSettings) -> None:
    batcher = CommandBatcher(make_app())
    command = register()
    created = Submission.of(command, OFFICE, idempotency_key="reg")
    batcher.execute([created])
    reported = Submission.of(report(command.task_id, 2), STAFF, idempotency_key="rep")
    batcher.execute([reported])
    assert stored_codes(settings) == {f"{OFFICE.user_id}:reg": 201, f"{STAFF.user_id}:rep": 200}

    again = Submission.of(command, OFFICE, idempotency_key="reg")
    CommandBatcher(make_app()).execute([again])  # another replica: the answer comes from the row
    assert again.future.result().kind is OutcomeKind.CREATED and again.future.result().replayed
    assert again.future.result().body == created.future.result().body


def test_a_row_stored_by_an_earlier_version_answers_its_replay(make_app: MakeApp,
                                                               settings: CommitmentsSettings) -> None:
    app = make_app()
    command = register()
    sub = Submission.of(command, OFFICE, idempotency_key="old")
    body = {"task_id": str(command.task_id), "ref": command.ref, "version": 1, "events": ["TaskRegistered"]}
    with psycopg.connect(settings.database_url) as conn:  # the row as the service wrote it before outcome kinds
        conn.execute(sql.SQL("INSERT INTO {}.commitments_commands (command_id, fingerprint, status_code, response, "
                             "task_id, recorded_at, first_version, last_version) VALUES "
                             "(%s, %s, 201, %s::jsonb, %s, %s, 1, 1)").format(sql.Identifier(settings.db_schema)),
                     (sub.command_id, sub.fingerprint, json.dumps(body), command.task_id,
                      datetime(2025, 3, 1, tzinfo=UTC)))
    CommandBatcher(app).execute([sub])
    outcome = sub.future.result()
    assert (outcome.kind, outcome.body, outcome.replayed) == (OutcomeKind.CREATED, body, True)
    assert app.recorder.max_notification_id() in (None, 0)  # answered from the row: nothing applied
