"""The three HTTP services as processes for the schemathesis fuzzing: their own schemas and subject
prefix on the machine's servers, two tasks registered (one of the tokens' unit, one of another), and
which role may write where — the policy the fuzzing holds every 2xx answer to."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from psycopg import sql

from tests.e2e.support import ServiceProcess, free_port, prepare_state, token

ROLES = {"office": "vp", "unit_staff": "ql-kh", "unit_head": "ql-kh", "board": "bgd", "inspector": "thanh-tra"}
OWN_UNIT, OTHER_UNIT = "ql-kh", "tt-cgcn"

# (method, path pattern) → the roles that may change something there (docs/: the Office registers and
# reassigns and runs the notices, units report on their own tasks, the Board decides, the Inspectorate
# only reads). Every non-GET answered 2xx to any other role is a write it may not make.
WRITES: tuple[tuple[str, str, frozenset[str]], ...] = tuple(
    (method, pattern, frozenset(roles)) for method, pattern, roles in (
        ("POST", r"/api/v1/tasks", {"office"}),
        ("POST", r"/api/v1/tasks/[^/]+/reassignment", {"office"}),
        ("POST", r"/api/v1/units/[^/]+/reassignment", {"office"}),
        ("POST", r"/api/v1/tasks/preview", {"office"}),  # writes nothing, but answers only the Office
        ("POST", r"/api/v1/tasks/[^/]+/revision-proposals", {"unit_head"}),
        ("POST", r"/api/v1/tasks/[^/]+/revision-proposals/[^/]+/(approval|decline)", {"board"}),
        ("POST", r"/api/v1/tasks/[^/]+/(progress-reports|completion-request)", {"unit_staff", "unit_head"}),
        ("POST", r"/api/v1/tasks/[^/]+/(revisions|completion-confirmation|completion-rejection|cancellation|"
                 r"suspension|resumption)", {"board"}),
        ("POST|PUT|DELETE", r"/api/v1/subscriptions(/[^/]+)?", {"office"}),
        ("POST", r"/api/v1/deliveries/retry", {"office"}),
        ("PUT", r"/api/v1/programs/[^/]+/rules", {"office", "board"}),
        ("POST", r"/api/v1/alerts/[^/]+/ack", {"office", "unit_staff", "unit_head", "board"}),
        ("POST", r"/api/v1/evidence", {"office", "unit_staff", "unit_head", "board"}),  # bytes, cited later
        ("POST", r"/api/v1/program-drafts", {"office"}),  # working data, not events
        ("PATCH|DELETE", r"/api/v1/program-drafts/[^/]+/items/[^/]+", {"office"}),
        ("POST", r"/api/v1/program-drafts/[^/]+/(merges|acceptance)", {"office"}),
        ("DELETE", r"/api/v1/program-drafts/[^/]+", {"office"}),
        ("POST", r"/(login|logout)", set(ROLES)),  # the dashboard's session, not data
    ))


def may_write(method: str, path: str, role: str) -> bool:
    for methods, pattern, roles in WRITES:
        if re.fullmatch(methods, method) and re.fullmatch(pattern, path):
            return role in roles
    return False  # a write nobody is known to be allowed


@dataclass
class FuzzStack:
    state: Path
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)  # unit → a task of it
    tokens: dict[str, str] = field(default_factory=dict)  # role → bearer token
    refuses_unstorable_text: bool = False  # a NUL in a title gets a 422 (issue 9, item 1), not a 503

    def url(self, name: str) -> str:
        return self.services[name].url


def start(state: Path, database_url: str, nats_url: str) -> Iterator[FuzzStack]:
    prepare_state(state)
    tag = uuid.uuid4().hex[:10]
    schemas = {name: f"fz_{tag}_{name[:4]}" for name in ("commitments", "reporting", "notifications")}
    with psycopg.connect(database_url, autocommit=True) as conn:
        for schema in schemas.values():
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    base = {"CAMKET_ENVIRONMENT": "test", "CAMKET_STATE_DIR": str(state), "CAMKET_DATABASE_URL": database_url,
            "CAMKET_NATS_URL": nats_url, "CAMKET_SUBJECT_PREFIX": f"fz{tag}"}
    own = {"commitments": {"CAMKET_COMMITMENTS_DB_SCHEMA": schemas["commitments"]},
           "reporting": {"CAMKET_REPORTING_DB_SCHEMA": schemas["reporting"]},
           "notifications": {"CAMKET_NOTIFICATIONS_DB_SCHEMA": schemas["notifications"]}}
    stack = FuzzStack(state, tokens={role: token(state, role, unit) for role, unit in ROLES.items()})
    try:
        for name, env in own.items():
            port = free_port()
            stack.services[name] = ServiceProcess(["serve", name, "--port", str(port)], base | env, port=port).start()
        for unit in (OWN_UNIT, OTHER_UNIT):
            created = httpx.post(f"{stack.url('commitments')}/api/v1/tasks", headers=_bearer(stack, "office"), json={
                "program_year": 2025, "unit": unit, "title": f"Nhiệm vụ thử {unit}", "target": "ít nhất 5 cuộc/năm",
                "deadline": "Quý IV/2025"}, timeout=30)
            assert created.status_code == 201, created.text
            stack.tasks[unit] = created.json()["task_id"]
        probe = httpx.post(f"{stack.url('commitments')}/api/v1/tasks", headers=_bearer(stack, "office"), json={
            "program_year": 2025, "unit": OWN_UNIT, "title": "thử\u0000NUL"}, timeout=30)
        stack.refuses_unstorable_text = probe.status_code == 422
        yield stack
    finally:
        for service in stack.services.values():
            service.stop()
        with psycopg.connect(database_url, autocommit=True) as conn:
            for schema in schemas.values():
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _bearer(stack: FuzzStack, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.tokens[role]}"}
