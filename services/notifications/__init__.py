"""Notifications service: alerts on the program's tasks, fired by events and by the passing of time.

    task events (NATS, shared.stream_consumer) → task_facts (own projection) ─┐
    scheduler (task_facts.next_check_at: each task's next rule boundary)  ────┼→ alerts (deduplicated)
                                                                              │    ├→ outbox → <PREFIX>_ALERTS
                                                                              │    └→ deliveries: webhook, e-mail
    weekly and monthly briefings ("trực báo tuần, tháng") from task_facts ────┘

`domain/` holds the pure rules (its own task events and facts and "now" in, firings out; no wire
contract); `application/` the use cases and the interfaces they need (`ports.py`: units of work and
stores, channels, cipher); `persistence/` the service's PostgreSQL schema, implementing the stores;
`integration/` the translator of the public task contracts (`task_events.py`), NATS, webhooks, SMTP and
the process's background work; `bootstrap.py` wires them (the only place that does); `api/` the HTTP
API on port 8003. The behind-pace alert applies the dashboard's rule (`shared.rules.pace`): a program
year sets its approaching days, silence and waiting, never the pace. Settings: `CAMKET_NOTIFICATIONS_*`
(the README's settings table).
"""
