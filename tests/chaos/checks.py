"""After the chaos: wait until every process caught up, then compare everything with the event store."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any
from uuid import UUID

import httpx
import psycopg

from commitments.integration.translator import event_id
from shared.messaging import connect
from shared.subjects import Subjects
from tests.chaos.clients import Ledger
from tests.chaos.stack import Stack
from tests.integration.publisher.stream import read_stream

SUBJECTS = Subjects("qt-skhcn", "camket")
MARKS = ("title", "reason", "note")


def store_events(stack: Stack) -> list[tuple[int, UUID, int]]:
    """(notification id, task id, version) of every stored event, in notification order."""
    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute("SELECT notification_id, originator_id, originator_version "
                            "FROM commitments.commitments_events ORDER BY notification_id").fetchall()
    return [(int(n), UUID(str(t)), int(v)) for n, t, v in rows]


def scalar(stack: Stack, query: str) -> int:
    try:
        with psycopg.connect(stack.database_url) as conn:
            row = conn.execute(query).fetchone()
    except psycopg.errors.UndefinedTable:
        return -1
    return int(row[0] or 0) if row else 0


async def caught_up(stack: Stack, timeout: float = 180) -> None:
    """Until the stream holds every stored event and every consumer and the sealer reached its end."""
    total = len(store_events(stack))
    nc = await connect(stack.nats.url, "chaos-check", attempts=3)
    try:
        async with asyncio.timeout(timeout):
            while True:
                stack.supervise()
                info = await nc.jetstream().stream_info(SUBJECTS.events_stream)
                last = info.state.last_seq
                done = {
                    "stream": info.state.messages == total,
                    "reporting": scalar(stack, "SELECT max(sequence) FROM reporting.stream_positions") == last,
                    "notifications": scalar(stack, "SELECT max(sequence) FROM notifications.stream_positions") == last,
                    "sealer": scalar(stack, "SELECT count(*) FROM commitments.audit_seals") == total,
                }
                if all(done.values()):
                    return
                await asyncio.sleep(0.5)
    finally:
        await nc.close()


async def stream_matches_store(stack: Stack) -> None:
    """The stream holds exactly the store's events, each once, in notification (hence per-task) order."""
    nc = await connect(stack.nats.url, "chaos-check", attempts=3)
    try:
        messages = await read_stream(nc.jetstream(), SUBJECTS.events_stream, timeout=120)
    finally:
        await nc.close()
    on_stream = [(int(m.headers["ce-sequence"]), m.headers["ce-id"]) for m in messages]
    in_store = [(n, str(event_id(t, v))) for n, t, v in store_events(stack)]
    assert len(on_stream) == len(set(on_stream)), "an event is on the stream twice"
    assert on_stream == in_store, f"stream {len(on_stream)} events, store {len(in_store)}"


def histories(stack: Stack, token: str, tasks: list[str]) -> dict[str, list[dict[str, Any]]]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=stack.url("commitments"), headers=headers, timeout=30) as http:
        return {task: [e["event"] for e in http.get(f"/api/v1/audit/tasks/{task}/history",
                                                     params={"limit": 1000}).json()["entries"]]
                for task in set(tasks)}


def commands_exactly_once(ledger: Ledger, found: dict[str, list[dict[str, Any]]]) -> int:
    """Every acknowledged command's event is stored once, at the version acknowledged; every command
    given up is there whole (its event and its idempotency record's version) or not at all; nothing
    else is stored. Returns how many given-up commands were stored."""
    marks = Counter((task, e["type"], next((e[m] for m in MARKS if e.get(m)), None))
                    for task, events in found.items() for e in events)
    versions = {(task, e["type"], next((e[m] for m in MARKS if e.get(m)), None)): e["task_version"]
                for task, events in found.items() for e in events}
    for command, task, version in ledger.acked.values():
        key = (task, command.kind, command.mark)
        assert marks[key] == 1, f"{command.key}: stored {marks[key]} times"
        assert versions[key] == version, f"{command.key}: acknowledged as version {version}"
    present = 0
    for command, task in ledger.uncertain.values():
        count = marks[(task, command.kind, command.mark)]
        assert count in (0, 1), f"{command.key} (given up): stored {count} times"
        present += count
    assert sum(marks.values()) == len(ledger.acked) + present, "an event no command explains"
    return present


def uncertain_wholly_present_or_absent(stack: Stack, ledger: Ledger, found: dict[str, list[dict[str, Any]]]) -> None:
    """A given-up report that is stored has its evidence and value too, and the idempotency record of
    its transaction; one that is absent has no record either."""
    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute("SELECT task_id, first_version FROM commitments.commitments_commands").fetchall()
    recorded = {(str(t), v) for t, v in rows}
    for command, task in ledger.uncertain.values():
        events = [e for e in found.get(task, []) if e["type"] == command.kind and e.get("note") == command.mark]
        if events:
            event = events[0]
            assert event["evidence"] == command.body["evidence"], command.key
            assert (task, event["task_version"]) in recorded, f"{command.key}: stored without its record"


def notifications_agree(stack: Stack) -> None:
    """The notifications store knows every task at the store's last version."""
    latest: dict[UUID, int] = {}
    for _, task, version in store_events(stack):
        latest[task] = max(version, latest.get(task, 0))
    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute("SELECT task_id, version FROM notifications.task_facts").fetchall()
        duplicates = conn.execute("SELECT count(*) - count(DISTINCT (rule, task_id, dedup_key)) "
                                  "FROM notifications.alerts").fetchone()
    assert {UUID(str(t)): int(v) for t, v in rows} == latest
    assert duplicates is not None and duplicates[0] == 0, "an alert stored twice"
