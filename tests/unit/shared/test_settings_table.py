"""Every setting of every settings class follows the one scheme (shared `CAMKET_<NAME>`, a service's
own `CAMKET_<SERVICE>_<NAME>`), is read from that name alone, and is a row of the README's table;
the table names nothing that no class reads. So neither the scheme nor the table can drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from commitments.audit.config import AuditSettings
from commitments.config import CommitmentsSettings
from commitments.publisher.config import PublisherSettings
from notifications.config import NotificationsSettings
from reporting.config import ReportingSettings
from shared.nats_auth import NatsAuth
from shared.settings import CamketSettings
from tests.unit.deploy.processes import env_names

README = Path(__file__).resolve().parents[3] / "README.md"
SERVICES: dict[type[BaseSettings], str] = {
    CommitmentsSettings: "commitments", PublisherSettings: "commitments", AuditSettings: "commitments",
    ReportingSettings: "reporting", NotificationsSettings: "notifications"}


def table() -> dict[str, str]:
    """The README's settings table: variable → the service column."""
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = re.finditer(r"^\| `(CAMKET_[A-Z0-9_]+)` \| ([a-z ()]+) \|", section, re.M)
    return {m[1]: m[2].split(" ")[0] for m in rows}


def expected(cls: type[BaseSettings], field: str) -> str:
    if cls is NatsAuth:
        return f"CAMKET_NATS_{field}".upper()
    if field in CamketSettings.model_fields:
        return f"CAMKET_{field}".upper()
    return f"CAMKET_{SERVICES[cls]}_{field}".upper()


@pytest.mark.parametrize("cls", [CamketSettings, NatsAuth, *SERVICES], ids=lambda c: c.__name__)
def test_every_field_is_read_from_its_one_name_and_is_in_the_table(cls: type[BaseSettings]) -> None:
    rows = table()
    for field in cls.model_fields:
        name = expected(cls, field)
        assert name in rows, f"{cls.__name__}.{field}: {name} is not in the README's settings table"
        own = cls in SERVICES and field not in CamketSettings.model_fields
        assert rows[name] == (SERVICES[cls] if own else "all"), f"{name}: the table names the wrong service"
    assert env_names(cls) == {expected(cls, field) for field in cls.model_fields}  # no second name


def test_the_table_lists_nothing_that_no_settings_class_reads() -> None:
    read = {expected(cls, f) for cls in (CamketSettings, NatsAuth, *SERVICES) for f in cls.model_fields}
    assert set(table()) - read == set()


def test_a_service_setting_is_given_by_field_name_in_code_and_by_its_own_variable_outside(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMKET_NOTIFICATIONS_PORT", "8013")
    monkeypatch.setenv("CAMKET_COMMITMENTS_PORT", "8011")
    assert (NotificationsSettings().port, CommitmentsSettings().port, ReportingSettings().port) == (8013, 8011, 8002)
    assert NotificationsSettings(port=9000).port == 9000


def test_a_name_of_the_earlier_scheme_alone_is_refused_naming_the_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMKET_DB_SCHEMA", "demo_commitments")
    with pytest.raises(ValueError, match="CAMKET_DB_SCHEMA is no longer read: set CAMKET_COMMITMENTS_DB_SCHEMA"):
        CommitmentsSettings()
    monkeypatch.setenv("CAMKET_COMMITMENTS_DB_SCHEMA", "demo_commitments")  # with the new one, it is harmless
    assert CommitmentsSettings().db_schema == "demo_commitments"
