"""docker-compose.yml and deploy/Dockerfile, checked without a Docker engine: every command is a real
`camket` command, every CAMKET_* variable is one the process reads (and its settings validate), the
ports agree, and each secret reaches only the containers that need it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from shared.observability.endpoints import OPS_PATHS
from tests.unit.deploy.processes import Invocation, reads, resolve, settings_under

ROOT = Path(__file__).resolve().parents[3]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
OURS = {name: spec for name, spec in SERVICES.items() if spec.get("image") == "camket:local"}
PROCESSES = {("serve", "commitments"), ("publisher",), ("audit", "sealer"), ("serve", "reporting"),
             ("serve", "notifications"), ("seed",)}
# Who may hold which secret: the event-signing key on the write side alone, the checkpoint key in the
# sealer alone, each NATS password in its own process and the NATS server.
NATS_USERS = {"publisher": "publisher", "reporting": "reporting", "notifications": "notifications",
              "sealer": "audit-sealer", "commitments": "commitments", "portal": None}
MAY_HOLD = {"event-signing-key": {"commitments", "seed"}, "checkpoint-key": {"audit-sealer"},
            "webhook-secret-key": {"notifications"}} | {
    f"nats-{user}-password": {"nats"} | ({service} if service else set()) for user, service in NATS_USERS.items()}


def _invocation(name: str) -> Invocation:
    return resolve(OURS[name]["command"])


def _env(name: str) -> dict[str, str]:
    return {k: str(v) for k, v in (OURS[name].get("environment") or {}).items()}


def _names(entries: list[Any]) -> set[str]:
    return {e if isinstance(e, str) else e["source"] for e in entries}


def test_the_compose_file_fits_the_compose_specification() -> None:
    schema = json.loads((Path(__file__).parent / "schemas" / "compose-spec.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(COMPOSE)] == []
    misspelt = {**COMPOSE, "services": {**SERVICES, "nats": {**SERVICES["nats"], "secret": []}}}
    assert not validator.is_valid(misspelt)  # unknown keys are errors, not ignored


def test_every_cam_ket_process_runs_once_and_nothing_else_uses_the_image() -> None:
    assert sorted(_invocation(name).key for name in OURS) == sorted(PROCESSES)
    assert {"postgres", "nats", "otel-collector", "jaeger"} <= set(SERVICES)
    assert all(spec["build"]["dockerfile"] == "deploy/Dockerfile" for spec in OURS.values())


@pytest.mark.parametrize("name", sorted(OURS))
def test_each_command_is_a_real_entry_point_and_each_variable_is_read(name: str) -> None:
    invocation = _invocation(name)  # raises if the CLI does not have it, or an option is unknown
    env = _env(name)
    assert set(env) - reads(invocation) == set(), f"{name} sets variables its process never reads"
    settings_under(invocation, env)  # and what it sets validates


@pytest.mark.parametrize("name", sorted(OURS))
def test_each_secret_and_config_path_is_mounted_in_the_container_that_names_it(name: str) -> None:
    spec = OURS[name]
    secrets, configs = _names(spec.get("secrets", [])), spec.get("configs", [])
    targets = {c["target"] for c in configs}
    for variable, value in _env(name).items():
        for path in re.findall(r"/[\w./-]+", value) if variable.endswith(("_FILE", "_FILES")) else []:
            if path.startswith("/run/secrets/"):
                assert path.removeprefix("/run/secrets/") in secrets, f"{name}: {variable} -> {path} not mounted"
            else:
                assert path in targets, f"{name}: {variable} -> {path} is no config of the container"
    assert {c["source"] for c in configs} <= set(COMPOSE["configs"])


def test_each_secret_only_where_it_is_needed() -> None:
    assert set(COMPOSE["secrets"]) == set(MAY_HOLD)
    for name, spec in SERVICES.items():
        for secret in _names(spec.get("secrets", [])):
            assert name in MAY_HOLD[secret], f"{name} must not hold {secret}"
    assert "event-signing-key" in _names(SERVICES["commitments"]["secrets"])
    assert "checkpoint-key" in _names(SERVICES["audit-sealer"]["secrets"])
    assert "webhook-secret-key" in _names(SERVICES["notifications"]["secrets"])


def test_no_volume_is_shared_and_the_services_keep_no_state() -> None:
    assert all("volumes" not in spec for spec in OURS.values())
    mounted = [v.split(":")[0] for spec in SERVICES.values() for v in spec.get("volumes", [])]
    named = [m for m in mounted if not m.startswith(".")]
    assert len(named) == len(set(named)) and set(named) == set(COMPOSE["volumes"])


def test_every_nats_client_authenticates_as_its_own_user() -> None:
    for name in OURS:
        invocation = _invocation(name)
        if any(s.__name__ == "NatsAuth" for s in invocation.settings):
            env = _env(name)
            assert env.get("CAMKET_NATS_USER") in NATS_USERS and NATS_USERS[env["CAMKET_NATS_USER"]] == name
            assert env["CAMKET_NATS_PASSWORD_FILE"] == f"/run/secrets/nats-{env['CAMKET_NATS_USER']}-password"


@pytest.mark.parametrize("name", sorted(n for n in OURS if _invocation(n).is_http))
def test_http_ports_agree(name: str) -> None:
    from tests.unit.deploy.processes import listening_port

    port = listening_port(_invocation(name), _env(name))
    published = {int(p.rsplit(":", 1)[1]) for p in OURS[name]["ports"]}
    assert published == {port}
    probe = next(a for a in OURS[name]["healthcheck"]["test"] if "http://" in a)
    url = urlsplit(re.search(r"http://[^'\"]+", probe).group(0))  # type: ignore[union-attr]
    assert url.port == port and url.path in OPS_PATHS
    assert _env(name)[f"CAMKET_{name.upper()}_HOST"] == "0.0.0.0"  # reachable from outside the container
    assert str(port) in re.findall(r"^EXPOSE (.+)$", DOCKERFILE, re.M)[0].split()


@pytest.mark.parametrize("name", sorted(n for n in OURS if not _invocation(n).is_http and "healthcheck" in OURS[n]))
def test_the_other_processes_are_checked_on_their_metrics_port(name: str) -> None:
    (variable,) = [v for v in _env(name) if v.endswith("_METRICS_PORT")]
    assert variable in reads(_invocation(name))
    probe = next(a for a in OURS[name]["healthcheck"]["test"] if "http://" in a)
    url = urlsplit(re.search(r"http://[^'\"]+", probe).group(0))  # type: ignore[union-attr]
    assert (url.port, url.path) == (int(_env(name)[variable]), "/readyz")
    assert url.path in OPS_PATHS


def test_the_long_running_processes_have_healthchecks() -> None:
    assert {n for n in OURS if "healthcheck" not in OURS[n]} == {"seed"}


def test_depends_on_names_real_services_and_waits_for_health_where_there_is_a_check() -> None:
    for name, spec in SERVICES.items():
        for dependency, condition in (spec.get("depends_on") or {}).items():
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[dependency], f"{dependency} has no healthcheck"


def test_otel_endpoint_is_the_collector_http_receiver() -> None:
    collector = yaml.safe_load((ROOT / "deploy" / "otel" / "collector.yaml").read_text(encoding="utf-8"))
    http_port = urlsplit("//" + collector["receivers"]["otlp"]["protocols"]["http"]["endpoint"]).port
    for name in OURS:
        endpoint = urlsplit(_env(name)["CAMKET_OTEL_ENDPOINT"])
        assert (endpoint.hostname, endpoint.port, endpoint.path) == ("otel-collector", http_port, "/v1/traces")
    assert collector["exporters"]["otlp/jaeger"]["endpoint"].split(":")[0] == "jaeger"


DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")


def test_the_dockerfile_copies_what_exists_and_runs_unprivileged() -> None:
    for line in re.findall(r"^COPY (.+)$", DOCKERFILE, re.M):
        *sources, _ = line.split()
        assert all((ROOT / s).exists() for s in sources), line
    users = re.findall(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0")


def test_the_dockerfile_environment_is_read_by_the_processes() -> None:
    block = re.search(r"^ENV CAMKET_(?:.|\n)*?(?=^\S|\Z)", DOCKERFILE, re.M)
    assert block is not None
    variables = re.findall(r"(CAMKET_\w+)=", block.group(0))
    everyone = set().union(*(reads(_invocation(name)) for name in OURS))
    assert variables and set(variables) <= everyone


def test_the_secrets_never_reach_the_image() -> None:
    ignored = (ROOT / "deploy" / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert ".camket" in ignored  # where deploy/secrets.sh writes them
    sources = {spec["file"] for spec in (COMPOSE["secrets"] | COMPOSE["configs"]).values()}
    assert all(path.startswith("./.camket/") for path in sources)
