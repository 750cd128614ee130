"""Schemathesis against each service's OpenAPI, over HTTP, with a token of each role (and none): no 5xx,
no answer that breaks its documented schema, and no 2xx write by a role that may not write (fuzz_stack.
WRITES). Task ids in paths are, two times in three, a real task of the tokens' unit or of another unit, so
the role and unit checks are reached, not only the 404s. Text the store cannot hold is left out only
while the API does not refuse it yet (see `_unstorable`). Bounded by CAMKET_FUZZ_EXAMPLES per operation
(default 6); the number of cases run per service is printed at the end."""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.e2e.dashboard_stack import delete_streams
from tests.e2e.fuzz_stack import OTHER_UNIT, OWN_UNIT, ROLES, FuzzStack, may_write, start

EXAMPLES = int(os.environ.get("CAMKET_FUZZ_EXAMPLES", "6"))
CASES: Counter[str] = Counter()
CALLS: Counter[str] = Counter()
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory, database_url: str, nats_url: str) -> Iterator[FuzzStack]:
    state: Path = tmp_path_factory.mktemp("fuzz")
    stack_iter = start(state, database_url, nats_url)
    stack = next(stack_iter)
    yield stack
    print(f"\nschemathesis: cases per service {dict(CASES)}; HTTP calls {dict(CALLS)}")
    prefix = stack.services["commitments"].env["CAMKET_SUBJECT_PREFIX"]
    next(stack_iter, None)
    delete_streams(nats_url, prefix)


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def fuzz_service(fuzz: FuzzStack, service: str) -> None:
    """Every operation of the service's OpenAPI, each with its own bounded run of cases, valid ones and
    ones that break the schema (those must get a 4xx, never a 5xx). (The lazy
    pytest loader of schemathesis 4 does not work under pytest 9: plain hypothesis drives it here.)"""
    schema = schemathesis.openapi.from_url(f"{fuzz.url(service)}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    for operation in operations:
        @FUZZ
        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                              operation.as_strategy(GenerationMode.NEGATIVE)))
        def run(case: Any) -> None:
            exercise(fuzz, service, case)

        run()


def exercise(fuzz: FuzzStack, service: str, case: Any) -> None:
    if not fuzz.refuses_unstorable_text:
        assume(not _unstorable(case))
    CASES[service] += 1
    if "task_id" in (case.path_parameters or {}):
        choice = random.Random(repr(case.body) + repr(case.query)).choice(["fuzzed", OWN_UNIT, OTHER_UNIT])
        if choice != "fuzzed":
            case.path_parameters["task_id"] = fuzz.tasks[choice]
    for role in (*ROLES, None):
        headers = {"Authorization": f"Bearer {fuzz.tokens[role]}"} if role else {}
        response = case.call(base_url=fuzz.url(service), headers=headers, timeout=30)
        CALLS[service] += 1
        case.validate_response(response, checks=CHECKS)
        if case.method.upper() != "GET" and 200 <= response.status_code < 300:
            path = case.formatted_path
            allowed = role is not None and may_write(case.method.upper(), path, role)
            other_unit = role in ("unit_staff", "unit_head") and fuzz.tasks[OTHER_UNIT] in path
            assert allowed and not other_unit, (
                f"{case.method} {path} as {role}: {response.status_code} — a write this role may not make")


@pytest.mark.parametrize("service", ["commitments", "reporting", "notifications"])
def test_no_5xx_no_schema_violation_no_forbidden_write(fuzz: FuzzStack, service: str) -> None:
    fuzz_service(fuzz, service)


def _unstorable(value: Any) -> bool:
    """Text PostgreSQL cannot hold (NUL) or UTF-8 cannot encode (a lone surrogate). Until the shared
    text validator (issue 9, item 1) refuses it with a 422, the API answers it 503 and writes nothing:
    such cases are left out while the probe in fuzz_stack finds the API still accepting it."""
    if isinstance(value, str):
        return "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_unstorable(v) for v in value)
    if hasattr(value, "body"):  # a case: everything it sends
        return any(_unstorable(part) for part in (value.body, value.query, value.path_parameters, value.headers))
    return False
