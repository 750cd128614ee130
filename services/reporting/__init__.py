"""Reporting: read models of the task events (status, progress history, period reports, briefings,
year-end evaluation), built from the NATS stream only, served as a JSON API (and the dashboard)."""
