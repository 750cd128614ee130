"""How a process proves who it is to NATS: CAMKET_NATS_USER with CAMKET_NATS_PASSWORD (or
CAMKET_NATS_PASSWORD_FILE, e.g. a compose or Kubernetes secret), or CAMKET_NATS_CREDS_FILE (a
`.creds` file of NATS's decentralised JWT auth). Nothing set: no credentials (development servers).

Read from the environment on every connect, beside each process's own settings, so that every
NATS connection of every process authenticates the same way (deploy/nats/accounts.conf).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class NatsAuth(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAMKET_NATS_", extra="ignore", frozen=True)

    user: str | None = None
    password: SecretStr | None = None
    password_file: Path | None = None
    creds_file: Path | None = None

    @model_validator(mode="after")
    def _one_way(self) -> NatsAuth:
        if self.password is not None and self.password_file is not None:
            raise ValueError("set CAMKET_NATS_PASSWORD or CAMKET_NATS_PASSWORD_FILE, not both")
        has_password = self.password is not None or self.password_file is not None
        if has_password != (self.user is not None):
            raise ValueError("CAMKET_NATS_USER and a password (CAMKET_NATS_PASSWORD or _PASSWORD_FILE) go together")
        if self.user is not None and self.creds_file is not None:
            raise ValueError("set CAMKET_NATS_USER or CAMKET_NATS_CREDS_FILE, not both")
        return self

    def connect_options(self) -> dict[str, Any]:
        """Keyword arguments for `nats.connect`; the password file is read now, so a rotated secret
        is picked up at the next (re)start."""
        if self.creds_file is not None:
            return {"user_credentials": str(self.creds_file)}
        if self.user is None:
            return {}
        if self.password_file is not None:
            password = self.password_file.read_text(encoding="utf-8").strip()
        else:
            assert self.password is not None
            password = self.password.get_secret_value()
        return {"user": self.user, "password": password}
