"""Settings of the audit (CAMKET_* variables on top of the commitments service's)."""

from __future__ import annotations

from pathlib import Path

from commitments.config import CommitmentsSettings


class AuditSettings(CommitmentsSettings):
    checkpoint_key_file: Path | None = None  # the sealer's Ed25519 private key, kept outside the database
    checkpoint_public_key_file: Path | None = None  # what verifiers and inspectors trust
    event_public_key_files: tuple[Path, ...] = ()  # the service's event-signing public keys (all still valid)
    audit_checkpoint_seconds: float = 60.0  # a checkpoint at least this often while the log grows...
    audit_checkpoint_events: int = 1000  # ...and as soon as this many events wait for one
    audit_poll_seconds: float = 0.5
    audit_batch: int = 1000
    sealer_metrics_port: int | None = None  # CAMKET_SEALER_METRICS_PORT: /metrics, /healthz, /readyz
    audit_witness_timeout: float = 3.0  # how long a verification waits for NATS before going on without it

    @property
    def checkpoint_key_path(self) -> Path:
        return self.checkpoint_key_file or self.keys_dir / "checkpoint.pem"

    @property
    def checkpoint_public_key_path(self) -> Path:
        return self.checkpoint_public_key_file or self.keys_dir / "checkpoint.pub.pem"

    @property
    def event_public_key_paths(self) -> tuple[Path, ...]:
        return self.event_public_key_files or (self.keys_dir / "event-signing.pub.pem",)
