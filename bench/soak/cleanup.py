"""Removing what a soak made: its schemas in the test database and its streams on NATS."""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
from nats.js.errors import NotFoundError

from bench.scratch import drop_schemas
from shared.messaging import connect
from shared.subjects import Subjects


async def remove(info: dict[str, Any]) -> None:
    env = info["env"]
    prefix = env["CAMKET_SUBJECT_PREFIX"]
    database_url = env["CAMKET_DATABASE_URL"]
    schema_prefix = env["CAMKET_COMMITMENTS_DB_SCHEMA"].removesuffix("commitments")  # soak_<tag>_
    with psycopg.connect(database_url, autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)",
                                            [schema_prefix])]
    drop_schemas(*names, database_url=database_url)
    nc = await connect(info["nats_url"], "camket-soak-cleanup", attempts=3)
    try:
        js = nc.jetstream()
        subjects = Subjects("qt-skhcn", prefix)
        for stream in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(stream)
    finally:
        await nc.close()
    print(f"removed schemas {', '.join(names) or '(none)'} and the {prefix} streams", flush=True)
