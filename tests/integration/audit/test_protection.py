"""The events table is append-only: the application's role may read and append but not change or delete
(the grants), and a trigger refuses UPDATE, DELETE and TRUNCATE even to the table's owner, a superuser."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import errors
from psycopg.sql import SQL, Identifier

from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import OutcomeKind, Submission
from commitments.audit.adapters.protection import grant_append_only
from commitments.audit.adapters.schema import TABLES
from commitments.audit.config import AuditSettings
from commitments.bootstrap import store_env, task_store
from commitments.persistence.signing import EventSigner
from tests.integration.audit.conftest import AuditLog
from tests.unit.audit.conftest import BOARD, OFFICE, STAFF
from tests.unit.commitments.builders import register, report

REFUSED = ("UPDATE {} SET {} = {}", "DELETE FROM {}", "TRUNCATE {}")
COLUMN = {"commitments_events": "topic", "audit_seals": "signed", "audit_checkpoints": "document",
          "audit_changes": "reason", "audit_access_log": "outcome"}


def refused(statement: str, schema: str, table: str) -> SQL:
    column = Identifier(COLUMN[table])
    target = Identifier(schema, table)
    return SQL(statement).format(target, column, column) if "SET" in statement else SQL(statement).format(target)


@pytest.fixture
def app_role(settings: AuditSettings, log: AuditLog) -> Iterator[str]:
    """A login role that does not own the tables, with the grants `camket audit protect --role` gives."""
    role = f"t_app_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(settings.database_url, autocommit=True) as admin:
        admin.execute(SQL("CREATE ROLE {} LOGIN").format(Identifier(role)))
        grant_append_only(admin, settings.db_schema, role, ["commitments_events", *TABLES, "commitments_snapshots"],
                          ["commitments_commands", "commitments_task_summaries"])
    yield role
    with psycopg.connect(settings.database_url, autocommit=True) as admin:
        admin.execute(SQL("DROP OWNED BY {}").format(Identifier(role)))
        admin.execute(SQL("DROP ROLE {}").format(Identifier(role)))


def as_role(database_url: str, role: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port or 5432}"))


def test_the_application_role_appends_events_but_may_not_change_or_delete_them(
        settings: AuditSettings, app_role: str) -> None:
    url = as_role(settings.database_url, app_role)
    app = task_store(store_env(settings.model_copy(update={"database_url": url})) | {"CREATE_TABLE": "n"},
                     signer=EventSigner.generate())
    try:
        sub = Submission.of(register(uuid.uuid4()), OFFICE)
        CommandBatcher(app).execute([sub])
        assert sub.future.result().kind is OutcomeKind.CREATED  # the service works as this role (lock included)
    finally:
        app.close()
    table = Identifier(settings.db_schema, "commitments_events")
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute(SQL("SELECT count(*) FROM {}").format(table)).fetchone() == (1,)
        for statement in REFUSED:
            with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table"):
                conn.execute(refused(statement, settings.db_schema, "commitments_events"))
        with pytest.raises(errors.InsufficientPrivilege, match="must be owner"):
            conn.execute(SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(table))


def test_the_application_role_takes_snapshots_but_may_not_change_them(settings: AuditSettings,
                                                                      app_role: str) -> None:
    url = as_role(settings.database_url, app_role)
    app = task_store(store_env(settings.model_copy(update={"database_url": url})) | {"CREATE_TABLE": "n"},
                     signer=EventSigner.generate())
    task_id = uuid.uuid4()
    try:
        batcher = CommandBatcher(app)
        subs = [Submission.of(register(task_id), OFFICE), *(Submission.of(report(task_id, n), STAFF)
                                                           for n in range(1, 100))]
        for sub in subs:
            batcher.execute([sub])
            sub.future.result()
    finally:
        app.close()
    snapshots = Identifier(settings.db_schema, "commitments_snapshots")
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute(SQL("SELECT originator_version FROM {}").format(snapshots)).fetchall() == [(100,)]
        for statement in (SQL("UPDATE {} SET topic = topic"), SQL("DELETE FROM {}"), SQL("TRUNCATE {}")):
            with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table"):
                conn.execute(statement.format(snapshots))


def test_the_trigger_refuses_even_the_owner(settings: AuditSettings, log: AuditLog) -> None:
    log.populate(tasks=1, reports=1)
    log.checkpoint()
    log.audit.record_access(BOARD, "history", None, {}, 200)  # every audit table holds a row
    with psycopg.connect(settings.database_url, autocommit=True) as owner:  # postgres: owner and superuser
        for table in ("commitments_events", *TABLES):
            for statement in REFUSED:
                with pytest.raises(errors.InsufficientPrivilege, match=f"{table} is append-only"):
                    owner.execute(refused(statement, settings.db_schema, table))
        count = owner.execute(SQL("SELECT count(*) FROM {}").format(
            Identifier(settings.db_schema, "commitments_events"))).fetchone()
    assert count == (3,)
    assert log.verify().ok
