"""`camket config`: which values are masked (one table of golden cases) and which variable sets each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from notifications.config import NotificationsSettings
from reporting.config import ReportingSettings
from shared.ops.config import MASK, describe, environment_name, masked

CASES: list[tuple[str, Any, str]] = [
    ("smtp_password", "hunter2", MASK),
    ("client_secret", "abc", MASK),
    ("api_token", "t0k", MASK),
    ("nats_credentials", "-----BEGIN NATS USER JWT-----", MASK),
    ("signing_key", "raw-key-bytes", MASK),
    ("event_signing_key_file", Path("/run/secrets/event-signing.pem"), "/run/secrets/event-signing.pem"),
    ("database_url", "postgresql://app:s3cret@db:5432/camket", f"postgresql://app:{MASK}@db:5432/camket"),
    ("database_url", "postgresql://postgres@127.0.0.1:5432/camket", "postgresql://postgres@127.0.0.1:5432/camket"),
    ("nats_url", "nats://u:p@n1:4222,nats://u:p@n2:4222", f"nats://u:{MASK}@n1:4222,nats://u:{MASK}@n2:4222"),
    ("approach_days", [7, 3, 1], "7,3,1"),
    ("smtp_user", None, ""),
    ("port", 8003, "8003"),
]


@pytest.mark.parametrize(("name", "value", "shown"), CASES)
def test_masking(name: str, value: Any, shown: str) -> None:
    assert masked(name, value) == shown


def test_each_setting_is_named_by_the_variable_that_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert environment_name(ReportingSettings, "db_schema") == "CAMKET_REPORTING_DB_SCHEMA"
    assert environment_name(NotificationsSettings, "smtp_password") == "CAMKET_NOTIFICATIONS_SMTP_PASSWORD"
    monkeypatch.setenv("CAMKET_NOTIFICATIONS_SMTP_PASSWORD", "hunter2")
    rows = {variable: (value, source) for variable, value, source in describe(NotificationsSettings())}
    assert rows["CAMKET_NOTIFICATIONS_SMTP_PASSWORD"] == (MASK, "set")
    assert rows["CAMKET_NOTIFICATIONS_SMTP_PORT"] == ("25", "default")
    assert "hunter2" not in repr(rows)
