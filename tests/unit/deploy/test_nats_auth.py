"""CAMKET_NATS_* credentials: one way at a time, the password file read at connect time."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.nats_auth import NatsAuth


def test_no_credentials_connects_anonymously(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("USER", "PASSWORD", "PASSWORD_FILE", "CREDS_FILE"):
        monkeypatch.delenv(f"CAMKET_NATS_{name}", raising=False)
    assert NatsAuth().connect_options() == {}


def test_user_and_password() -> None:
    assert NatsAuth(user="reporting", password="k1").connect_options() == {"user": "reporting", "password": "k1"}


def test_the_password_file_is_read_without_its_newline(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("kabc\n")
    auth = NatsAuth(user="publisher", password_file=secret)
    assert auth.connect_options() == {"user": "publisher", "password": "kabc"}
    secret.write_text("krotated\n")
    assert auth.connect_options()["password"] == "krotated"


def test_a_creds_file() -> None:
    assert NatsAuth(creds_file=Path("/run/secrets/x.creds")).connect_options() == {
        "user_credentials": "/run/secrets/x.creds"}


def test_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMKET_NATS_USER", "sealer")
    monkeypatch.setenv("CAMKET_NATS_PASSWORD", "ksecret")
    assert NatsAuth().connect_options() == {"user": "sealer", "password": "ksecret"}
    assert "ksecret" not in repr(NatsAuth())


@pytest.mark.parametrize(("fields", "message"), [
    ({"user": "u"}, "go together"),
    ({"password": "p"}, "go together"),
    ({"user": "u", "password": "p", "password_file": Path("f")}, "not both"),
    ({"user": "u", "password": "p", "creds_file": Path("c")}, "CAMKET_NATS_CREDS_FILE"),
])
def test_incomplete_or_double_credentials_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NatsAuth(**fields)  # type: ignore[arg-type]
