"""The settings base every service extends: typed, validated at start-up, read from CAMKET_* variables.

The scheme: a setting every process shares is `CAMKET_<FIELD>` (`CamketSettings`); a service's own is
`CAMKET_<SERVICE>_<FIELD>` (`ServiceSettings`), so that one environment holds every service's
settings without clashes (two services each reading `CAMKET_PORT` would take the same port).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasGenerator, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth.claims import ClaimsMapping

DEV_ISSUER = "camket-dev"


class CamketSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAMKET_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    org: str = "qt-skhcn"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/camket"
    nats_url: str = "nats://127.0.0.1:4222"
    subject_prefix: str = "camket"  # tests use their own prefix so their streams never overlap
    state_dir: Path = Path(".camket")

    jwt_issuer: str = DEV_ISSUER
    jwt_audience: str = "camket"
    jwt_public_key_file: Path | None = None  # PEM; defaults to the dev key under state_dir
    jwt_jwks_url: str | None = None  # production: the identity provider's JWKS
    jwt_jwks_refresh_seconds: Annotated[float, Field(gt=0, le=86_400)] = 300.0  # a removed key works no longer

    # How a token's claims map to the user (shared/auth/claims.py): the same in every service.
    claim_unit: str = Field(default="unit", min_length=1)
    claim_roles: str = Field(default="roles", min_length=1)  # dotted for nested claims: realm_access.roles
    claim_name: str = Field(default="name", min_length=1)
    role_groups: dict[str, Literal["office", "unit_staff", "unit_head", "board", "inspector"]] = {}

    max_body_bytes: Annotated[int, Field(ge=1024, le=16 * 1024 * 1024)] = 64 * 1024  # a request body, at most

    access_log: bool = False  # uvicorn's per-request log line; costly at hundreds of requests per second
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    otel_endpoint: str | None = None
    # Replicas of the streams, for whichever process creates or updates them first: every process must
    # agree (3 in a NATS cluster), or one that starts with 1 would scale the others' streams down.
    stream_replicas: int = Field(default=1, ge=1, le=5)
    log_format: Literal["text", "json"] = "text"  # json: one object per line with trace ids, for collectors
    consumer_stall_seconds: float = 60.0  # /readyz: work waiting and the position unmoved this long = stalled

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str) -> str:
        if urlsplit(value).scheme not in ("postgresql", "postgres"):
            raise ValueError("CAMKET_DATABASE_URL must be a postgresql:// URL")
        return value

    @model_validator(mode="after")
    def _no_dev_identity_in_production(self) -> CamketSettings:
        if self.environment == "production" and (self.jwt_issuer == DEV_ISSUER or not (
                self.jwt_jwks_url or self.jwt_public_key_file)):
            raise ValueError("production needs a real token issuer: set CAMKET_JWT_ISSUER and "
                             "CAMKET_JWT_JWKS_URL (or CAMKET_JWT_PUBLIC_KEY_FILE)")
        return self

    @property
    def claims_mapping(self) -> ClaimsMapping:
        return ClaimsMapping(unit_claim=self.claim_unit, roles_claim=self.claim_roles, name_claim=self.claim_name,
                             groups=dict(self.role_groups))

    @property
    def keys_dir(self) -> Path:
        return self.state_dir / "keys"

    @property
    def jwt_public_key_path(self) -> Path:
        return self.jwt_public_key_file or self.keys_dir / "jwt.pub.pem"


def env_name(service: str, field: str) -> str:
    """The variable a field is read from: shared fields `CAMKET_<FIELD>`, a service's own
    `CAMKET_<SERVICE>_<FIELD>`."""
    shared = field in CamketSettings.model_fields
    return (f"CAMKET_{field}" if shared else f"CAMKET_{service}_{field}").upper()


def service_config(service: str) -> SettingsConfigDict:
    """A service's settings configuration: every field read from its `env_name` and nothing else."""
    return SettingsConfigDict(**CamketSettings.model_config, alias_generator=AliasGenerator(
        validation_alias=lambda field: env_name(service, field)))


# Read by earlier versions as a service's own setting, and by nothing now: `make run DEMO=1` sets it
# for the devstack itself.
_NOT_RETIRED = frozenset({"CAMKET_DEMO"})


class ServiceSettings(CamketSettings):
    """The base of a service's settings class, which sets `model_config = service_config("<service>")`.

    Constructed by field name in code and tests (`NotificationsSettings(port=8013)`), from
    `CAMKET_<SERVICE>_<FIELD>` in the environment."""

    def __init__(self, **values: Any) -> None:
        fields = type(self).model_fields
        super().__init__(**{str(fields[k].validation_alias) if k in fields else k: v for k, v in values.items()})

    @model_validator(mode="after")
    def _no_retired_names(self) -> ServiceSettings:
        """`CAMKET_DB_SCHEMA` set for a service that now reads `CAMKET_<SERVICE>_DB_SCHEMA` alone would
        be silently ignored (a sandbox's schema, say, exchanged for the real one): refused instead,
        unless the new name is given too."""
        stale = [(old, str(info.validation_alias)) for field, info in type(self).model_fields.items()
                 if field not in CamketSettings.model_fields and field not in self.model_fields_set
                 and (old := f"CAMKET_{field}".upper()) in os.environ and old not in _NOT_RETIRED]
        if stale:
            raise ValueError("; ".join(f"{old} is no longer read: set {new}" for old, new in stale))
        return self


def postgres_env(database_url: str, schema: str = "") -> dict[str, str]:
    """The eventsourcing library's POSTGRES_* variables for a postgresql:// URL."""
    parts = urlsplit(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/") or "postgres",
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "postgres",
        "POSTGRES_PASSWORD": parts.password or "",
        "POSTGRES_SCHEMA": schema,
    }
