"""Settings of the audit: the commitments service's, plus its own (read as CAMKET_COMMITMENTS_*, as
every setting of the commitments service's processes: shared.settings)."""

from __future__ import annotations

from pathlib import Path

from commitments.config import CommitmentsSettings


class AuditSettings(CommitmentsSettings):
    checkpoint_key_file: Path | None = None  # the sealer's Ed25519 private key, kept outside the database
    checkpoint_public_key_file: Path | None = None  # what verifiers and inspectors trust
    audit_checkpoint_seconds: float = 60.0  # a checkpoint at least this often while the log grows...
    audit_checkpoint_events: int = 1000  # ...and as soon as this many events wait for one
    audit_poll_seconds: float = 0.5
    audit_standby_poll_seconds: float = 1.0  # a standby sealer tries for the log's lock this often
    audit_batch: int = 1000
    sealer_metrics_port: int | None = None  # CAMKET_COMMITMENTS_SEALER_METRICS_PORT: /metrics, /healthz, /readyz
    audit_witness_timeout: float = 3.0  # how long a verification waits for NATS before going on without it

    @property
    def checkpoint_key_path(self) -> Path:
        return self.checkpoint_key_file or self.keys_dir / "checkpoint.pem"

    @property
    def checkpoint_public_key_path(self) -> Path:
        return self.checkpoint_public_key_file or self.keys_dir / "checkpoint.pub.pem"

    # The transparency log (audit/tlog): its origin line, the witnesses asked to cosign, and who may read it.
    tlog_origin: str = ""  # default camket.<org>/events
    tlog_witnesses: str = ""  # comma-separated "<witness verifier key> <witness URL prefix>"
    tlog_quorum: int = -1  # cosignatures `verify` and bundles require; -1: every configured witness
    tlog_open: bool = True  # serve /tlog/ without a token (the province's network); False: any valid token

    @property
    def tlog_origin_line(self) -> str:
        return self.tlog_origin or f"camket.{self.org}/events"

    def tlog_witness_list(self) -> list[tuple[str, str]]:
        """(verifier key, URL prefix) of each configured witness."""
        pairs = [item.strip().split() for item in self.tlog_witnesses.split(",") if item.strip()]
        if any(len(p) != 2 for p in pairs):
            raise ValueError("CAMKET_COMMITMENTS_TLOG_WITNESSES: expected '<verifier key> <URL>' items, "
                             "comma-separated")
        return [(p[0], p[1]) for p in pairs]

    @property
    def tlog_required(self) -> int:
        return len(self.tlog_witness_list()) if self.tlog_quorum < 0 else self.tlog_quorum
