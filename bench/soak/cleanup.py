"""Removing what a soak made: its schemas in the test database and its streams on NATS (also after a
stack that never came up, so it goes by the soak's tag, not by what the stack reported)."""

from __future__ import annotations

import contextlib

import psycopg
from nats.js.errors import NotFoundError

from bench.scratch import drop_schemas
from shared.messaging import connect
from shared.subjects import Subjects


async def remove(tag: str, database_url: str, nats_url: str) -> None:
    prefix = f"soak{tag}"  # as bench.soak.stack.scratch_environment names them
    with psycopg.connect(database_url, autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)",
                                            [f"soak_{tag}_"])]
    drop_schemas(*names, database_url=database_url)
    nc = await connect(nats_url, "camket-soak-cleanup", attempts=3)
    try:
        js = nc.jetstream()
        subjects = Subjects("qt-skhcn", prefix)
        for stream in (subjects.events_stream, subjects.alerts_stream, subjects.audit_stream):
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(stream)
    finally:
        await nc.close()
    print(f"removed schemas {', '.join(names) or '(none)'} and the {prefix} streams", flush=True)
