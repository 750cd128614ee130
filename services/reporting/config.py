"""Settings of the reporting service. The shared CAMKET_* base, plus its own CAMKET_REPORTING_*
variables (so that one environment can hold every service's settings without clashes)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field, SecretStr, model_validator

from shared.settings import ServiceSettings, service_config


class ReportingSettings(ServiceSettings):
    model_config = service_config("reporting")

    host: str = Field(default="127.0.0.1")
    port: int = Field(default=8002, ge=1, le=65535)
    db_schema: str = Field(default="reporting", pattern=r"^[a-z_][a-z0-9_]{0,40}$")
    db_pool_size: int = Field(default=8, ge=1, le=64)
    consumer_name: str = Field(default="reporting", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    batch_size: int = Field(default=500, ge=1, le=5000)
    # A rebuild replays everything: bigger batches amortise each transaction (measured: 2,000 ≈ 20% faster).
    rebuild_batch_size: int = Field(default=2000, ge=1, le=10_000)
    consume: bool = Field(default=True)  # False: serve the API only
    # `camket reporting consume` only (the API serves them on its own port): /metrics, /healthz, /readyz
    consumer_metrics_port: int | None = Field(default=None, ge=0, le=65535)
    # The workspace forms write through the commitments API, with the signed-in user's own token.
    commitments_url: str = Field(default="http://127.0.0.1:8001")
    # Signs the forms' CSRF tokens; empty: a random secret per process (a single process, or sticky sessions).
    csrf_secret: SecretStr = Field(default=SecretStr(""))
    # How long the page after a command waits for the read model to reach the command's version.
    read_your_writes_seconds: float = Field(default=3.0, ge=0, le=30)
    # The largest evidence file a form carries (the commitments service applies its own bound too).
    evidence_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)

    # Sign-in by OpenID Connect (docs/sign-in.md); unset: the pasted-token page, in development and test only.
    oidc_issuer: str | None = Field(default=None)
    oidc_client_id: str = Field(default="camket-dashboard")
    oidc_client_secret: SecretStr = Field(default=SecretStr(""))
    oidc_scopes: str = Field(default="openid profile")
    # The resource (RFC 8707) whose access tokens the APIs accept; empty: the provider's default audience.
    oidc_resource: str = Field(default="")
    # The dashboard's address as the browser sees it: the redirect URI, and `Secure` cookies when https.
    public_url: str = Field(default="http://127.0.0.1:8002", pattern=r"^https?://")
    # Proxies (their IP addresses) whose X-Forwarded-Proto is believed: a TLS-terminating load balancer.
    trusted_proxies: list[str] = Field(default=[])
    session_idle_seconds: int = Field(default=30 * 60, ge=60, le=86_400)
    session_absolute_seconds: int = Field(default=10 * 3600, ge=300, le=7 * 86_400)
    # The training sandbox (`camket demo`): every page says "Dữ liệu mô phỏng", and "now" is the
    # simulated year's instant (running on from there), so the pages show that year as it stood.
    demo: bool = Field(default=False)
    demo_now: AwareDatetime | None = Field(default=None)

    @model_validator(mode="after")
    def _demo_only_outside_production(self) -> ReportingSettings:
        if (self.demo or self.demo_now) and self.environment == "production":
            raise ValueError("CAMKET_REPORTING_DEMO is for the training sandbox, not production")
        return self
