"""HTTP API of the notifications service (FastAPI, /api/v1): alerts, subscriptions, deliveries,
per-program rule settings and briefings. Errors are RFC 9457 problem details naming the field."""
