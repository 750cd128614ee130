"""The layers point one way, and stay so: every module of a service's `domain/` and `application/`
(the audit's too) imports no framework of the outside (PostgreSQL, NATS, HTTP, pydantic), no wire
contract, none of its service's adapters (persistence, integration, api, adapters), and no other
service's code; a domain imports no application. Read from the source with `ast`, so an import inside
a function or under TYPE_CHECKING counts as well."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "services"
NAMES = ("commitments", "reporting", "notifications")
FRAMEWORKS = {"psycopg", "psycopg_pool", "nats", "fastapi", "starlette", "pydantic", "pydantic_settings"}
CONTRACTS = "shared.contracts"
ADAPTERS = {"persistence", "integration", "api", "adapters"}
INNER = ("domain", "application")


def inner_modules() -> Iterator[Path]:
    for layer in INNER:
        yield from sorted(SERVICES.glob(f"*/**/{layer}/**/*.py"))


def layer_of(path: Path) -> str:
    """'domain' or 'application': the innermost of the two the module sits in."""
    return next(part for part in reversed(path.relative_to(SERVICES).parts) if part in INNER)


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: the house style has none, and it would dodge the names below
                yield node.lineno, "." * node.level + (node.module or "")
            elif node.module:
                yield node.lineno, node.module


def wrong(path: Path, module: str) -> str | None:
    """Why `path` may not import `module`, or None."""
    service, parts = path.relative_to(SERVICES).parts[0], module.split(".")
    if module.startswith("."):
        return "a relative import"
    if parts[0] in FRAMEWORKS:
        return f"the framework {parts[0]}"
    if module == CONTRACTS or module.startswith(CONTRACTS + "."):
        return "the wire contracts (a translator in integration/ turns them into the service's own types)"
    if parts[0] in NAMES and parts[0] != service:
        return "another service's code"
    if parts[0] == service and ADAPTERS & set(parts[1:]):
        return "its service's adapters (the application defines an interface; bootstrap hands one in)"
    if parts[0] == service and layer_of(path) == "domain" and "application" in parts[1:]:
        return "an application (the domain is the innermost layer)"
    return None


def violations(path: Path, source: str) -> list[str]:
    return [f"{path.relative_to(SERVICES.parent)}:{line} imports {module}: {why}"
            for line, module in imported(ast.parse(source))
            if (why := wrong(path, module)) is not None]


def test_every_inner_module_imports_only_inward() -> None:
    modules = list(inner_modules())
    assert len(modules) > 50, modules  # the walk finds the packages (all four services' inner layers)
    assert {p.relative_to(SERVICES).parts[0] for p in modules} == set(NAMES)
    found = [v for path in modules for v in violations(path, path.read_text(encoding="utf-8"))]
    assert found == []


ADDED = [
    ("commitments/application/views.py", "from commitments.integration.values import target_v1", "adapters"),
    ("commitments/audit/domain/keys.py", "from commitments.persistence.signing import key_id", "adapters"),
    ("commitments/audit/application/history.py", "from commitments.audit.adapters.reader import TaskReader",
     "adapters"),
    ("commitments/domain/task.py", "from commitments.application.records import TaskSummary", "application"),
    ("notifications/application/briefings.py", "from psycopg import sql", "psycopg"),
    ("notifications/domain/facts.py", "import nats.js", "nats"),
    ("reporting/application/queries.py", "from fastapi import HTTPException", "fastapi"),
    ("reporting/application/queries.py", "from starlette.responses import Response", "starlette"),
    ("reporting/domain/summary.py", "from pydantic import BaseModel", "pydantic"),
    ("reporting/domain/summary.py", "from shared.contracts import v1", "contracts"),
    ("reporting/domain/summary.py", "from shared.contracts.common import TargetV1", "contracts"),
    ("notifications/application/projection.py", "from reporting.domain.summary import assess", "another service"),
    ("notifications/application/projection.py", "from .ports import UnitsOfWork", "relative"),
]


@pytest.mark.parametrize(("where", "line", "why"), ADDED, ids=[f"{w}: {line}" for w, line, _ in ADDED])
def test_an_import_added_against_the_layers_is_caught(where: str, line: str, why: str) -> None:
    """The check above fails on each of these (added to the real module, inside a function as well)."""
    path = SERVICES / where
    source = path.read_text(encoding="utf-8")
    assert violations(path, source) == []
    for added in (f"{source}\n{line}\n", f"{source}\n\ndef _later() -> None:\n    {line}\n"):
        (found,) = violations(path, added)
        assert why in found


def test_what_the_inner_layers_may_import_passes() -> None:
    path = SERVICES / "commitments/audit/application/history.py"
    allowed = ["from commitments.domain.task import Task", "from commitments.application.views import TaskViews",
               "from commitments.audit.domain.diff import diff", "from shared.rules import rates",
               "from eventsourcing.persistence import StoredEvent", "from shared.contracts_notes import x"]
    assert violations(path, "\n".join(allowed)) == []
