"""Settings of the commitments service: the shared CAMKET_* base, plus its own CAMKET_COMMITMENTS_*
variables (shared.settings), which its publisher and audit processes extend."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, Field, SecretStr, model_validator

from shared.settings import ServiceSettings, service_config


class CommitmentsSettings(ServiceSettings):
    model_config = service_config("commitments")

    host: str = "127.0.0.1"
    port: int = 8001
    db_schema: str = "commitments"
    db_pool_size: int = 8
    event_signing_key_file: Path | None = None  # Ed25519 PEM kept outside the database
    # The service's event-signing public keys (all still valid): whose signatures a reader trusts.
    event_public_key_files: tuple[Path, ...] = ()
    # Evidence files: PostgreSQL (chunked, in db_schema) or S3-compatible object storage.
    evidence_max_bytes: int = 20 * 1024 * 1024
    evidence_backend: Literal["postgres", "s3"] = "postgres"
    evidence_s3_bucket: str = "camket-evidence"
    evidence_s3_prefix: str = "evidence/"
    evidence_s3_endpoint_url: str | None = None
    evidence_s3_region: str | None = None
    evidence_s3_access_key_id: str | None = None
    evidence_s3_secret_access_key: SecretStr | None = None
    write_queue_max: int = Field(default=5000, ge=1)  # commands waiting for the writer; beyond: 429
    write_wait_seconds: float = Field(default=30.0, gt=0)  # a caller's longest wait for the writer; then 503
    workers: int = 1  # HTTP worker processes (each a replica with its own group-commit writer)
    # The training sandbox only (`make run DEMO=1`): commands are stamped from this instant on, so a
    # trainee's report lands in the simulated year. Refused unless the store is a demo_* schema.
    demo_now: AwareDatetime | None = None

    @model_validator(mode="after")
    def _simulated_time_only_in_a_sandbox(self) -> CommitmentsSettings:
        if self.demo_now is not None and (self.environment == "production" or not self.db_schema.startswith("demo")):
            raise ValueError("CAMKET_COMMITMENTS_DEMO_NOW is for the training sandbox only: a demo_* "
                             "CAMKET_COMMITMENTS_DB_SCHEMA, not production")
        return self

    @property
    def event_signing_key_path(self) -> Path:
        return self.event_signing_key_file or self.keys_dir / "event-signing.pem"

    @property
    def event_public_key_paths(self) -> tuple[Path, ...]:
        return self.event_public_key_files or (self.keys_dir / "event-signing.pub.pem",)
