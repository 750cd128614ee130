"""The reporting service's JSON API (/api/v1/...) and /health."""
