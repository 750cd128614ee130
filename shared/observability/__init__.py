"""What operators and orchestrators see of a running process: Prometheus metrics (`/metrics`),
liveness (`/healthz`), readiness (`/readyz`) and JSON logs carrying trace ids.

HTTP services mount the three routes on their API port (`endpoints.install`); processes without an
API (publisher, sealer, a standalone consumer) serve them on a small HTTP server of their own
(`server.OpsServer`) at the port of their `CAMKET_<PROCESS>_METRICS_PORT` setting.
"""
