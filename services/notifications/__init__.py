"""Notifications service: alerts on the program's tasks, fired by events and by the passing of time.

    task events (NATS, shared.stream_consumer) → task_facts (own projection) ─┐
    scheduler (task_facts.next_check_at: each task's next rule boundary)  ────┼→ alerts (deduplicated)
                                                                              │    ├→ outbox → <PREFIX>_ALERTS
                                                                              │    └→ deliveries: webhook, e-mail
    weekly and monthly briefings ("trực báo tuần, tháng") from task_facts ────┘

`domain/` holds the pure rules (facts and "now" in, firings out); `application/` the use cases;
`persistence/` the service's PostgreSQL schema; `integration/` NATS, webhooks, SMTP and the process's
background work; `api/` the HTTP API on port 8003.
"""
