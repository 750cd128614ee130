"""deploy/k8s rendered as `kubectl apply -k` would, validated against the Kubernetes schemas (the
offline ones kubernetes-validate ships) and the CloudNativePG Cluster CRD's schema, then checked like
the compose file: real commands, variables the processes read, probes and ports that agree, each
secret only where it is needed, budgets and policies that select real pods."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest

from shared.observability.endpoints import OPS_PATHS
from tests.unit.deploy.kustomize import containers, pod_spec, render
from tests.unit.deploy.processes import Invocation, reads, resolve, settings_under

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy" / "k8s"
SCHEMAS = Path(__file__).parent / "schemas"
DOCS = render(K8S)
KUBERNETES_VERSIONS = ("1.30", "1.34")  # the oldest still maintained by the big distributions, and a recent one
WORKLOADS = {d["metadata"]["name"]: d for d in DOCS if pod_spec(d) is not None}
CONFIG = next(d for d in DOCS if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "camket-config")["data"]
SAMPLE_SECRET_VALUES = {("camket-pg-app", "uri"): "postgresql://camket:secret@camket-pg-rw.camket.svc:5432/camket",
                        ("camket-reporting-csrf", "secret"): "sample-csrf-secret"}
METRICS_PORT = re.compile(r"^CAMKET_\w+_METRICS_PORT$")
# secret -> the workloads that may mount it
NATS_USERS = {"publisher": {"publisher"}, "reporting": {"reporting", "reporting-consumer"},
              "notifications": {"notifications", "notifications-worker"}, "sealer": {"audit-sealer"},
              "commitments": {"commitments"}}
MAY_HOLD = {"camket-event-signing": {"commitments", "seed"}, "camket-checkpoint": {"audit-sealer"},
            "camket-webhook-secret-key": {"notifications", "notifications-worker"},
            "camket-reporting-csrf": {"reporting"},
            "camket-pg-app": set(WORKLOADS)} | {f"camket-nats-{u}": names for u, names in NATS_USERS.items()}


def _id(document: dict[str, Any]) -> str:
    return f"{document['kind']}/{document['metadata']['name']}"


def _container(name: str) -> dict[str, Any]:
    (container,) = containers(WORKLOADS[name])
    return container


def _env(name: str) -> dict[str, str]:
    container, values = _container(name), {}
    for source in container.get("envFrom", []):
        assert source["configMapRef"]["name"] == "camket-config"
        values |= CONFIG
    for entry in container.get("env", []):
        if "valueFrom" in entry:
            ref = entry["valueFrom"]["secretKeyRef"]
            values[entry["name"]] = SAMPLE_SECRET_VALUES[(ref["name"], ref["key"])]
        else:
            values[entry["name"]] = entry["value"]
    return values


def _invocation(name: str) -> Invocation:
    return resolve(_container(name)["command"])


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("document", [d for d in DOCS if "cnpg.io" not in d["apiVersion"]], ids=_id)
def test_each_manifest_is_valid_kubernetes(document: dict[str, Any], version: str) -> None:
    kubernetes_validate.validate(document, version, strict=True)  # strict: unknown fields fail too


def _unknown_fields(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """What the API server would drop (a structural schema prunes fields it does not declare)."""
    if not isinstance(value, dict) or "properties" not in schema:
        if isinstance(value, list) and "items" in schema:
            return [f for i, item in enumerate(value) for f in _unknown_fields(item, schema["items"], f"{path}[{i}]")]
        return []
    found = []
    for key, item in value.items():
        if key in schema["properties"]:
            found += _unknown_fields(item, schema["properties"][key], f"{path}.{key}")
        elif not schema.get("additionalProperties") and not schema.get("x-kubernetes-preserve-unknown-fields"):
            found.append(f"{path}.{key}")
    return found


def test_the_postgres_cluster_fits_the_cloudnativepg_crd() -> None:
    schema = json.loads((SCHEMAS / "cnpg-cluster-v1.json").read_text(encoding="utf-8"))
    (cluster,) = [d for d in DOCS if d["kind"] == "Cluster"]
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    jsonschema.validate(cluster, schema)
    assert _unknown_fields(cluster["spec"], schema["properties"]["spec"]) == []
    assert cluster["spec"]["instances"] >= 2  # a primary and a standby
    assert cluster["spec"]["affinity"]["podAntiAffinityType"] == "required"  # on different nodes
    assert cluster["spec"]["bootstrap"]["initdb"]["database"] == "camket"
    # The services read the URL from the secret the operator makes: <cluster>-app, key uri.
    used = {ref[0] for ref in SAMPLE_SECRET_VALUES if ref[1] == "uri"}
    assert used == {f"{cluster['metadata']['name']}-app"}


def test_the_structural_check_catches_a_misspelt_field() -> None:
    schema = json.loads((SCHEMAS / "cnpg-cluster-v1.json").read_text(encoding="utf-8"))
    spec = schema["properties"]["spec"]
    assert _unknown_fields({"instances": 2, "storage": {"sise": "1Gi"}}, spec) == [".storage.sise"]


def test_every_process_runs_and_the_singletons_are_single() -> None:
    keys = {name: _invocation(name).key for name in WORKLOADS}
    assert set(keys.values()) == {("serve", "commitments"), ("publisher",), ("audit", "sealer"), ("serve", "reporting"),
                                  ("reporting", "consume"), ("serve", "notifications"), ("seed",)}
    replicas = {name: d["spec"].get("replicas") for name, d in WORKLOADS.items() if d["kind"] == "Deployment"}
    assert replicas["publisher"] == replicas["audit-sealer"] == 2  # one active by leader election, one waiting
    for single in ("reporting-consumer", "notifications-worker"):
        assert replicas[single] == 1 and WORKLOADS[single]["spec"]["strategy"]["type"] == "Recreate"
    assert "--api-only" in _container("notifications")["command"]
    assert _env("reporting")["CAMKET_REPORTING_CONSUME"] == "false"


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_each_variable_is_read_by_its_process_and_validates(name: str) -> None:
    invocation, env = _invocation(name), _env(name)
    unread = {v for v in set(env) - reads(invocation) if not METRICS_PORT.match(v)}
    assert unread == set(), f"{name} sets variables its process never reads"
    settings_under(invocation, {k: v for k, v in env.items() if not METRICS_PORT.match(k)})


@pytest.mark.parametrize("name", sorted(n for n in WORKLOADS if any(METRICS_PORT.match(v) for v in _env(n))))
def test_the_metrics_port_variable_is_a_setting_of_its_process(name: str) -> None:
    """Non-HTTP processes serve /healthz, /readyz and /metrics on CAMKET_<PROCESS>_METRICS_PORT (agreed
    with the metrics work, issue 13 item 6). Until a settings class declares such a port, this waits."""
    invocation, env = _invocation(name), _env(name)
    declared = {v for v in reads(invocation) if METRICS_PORT.match(v)}
    if not declared:
        pytest.skip("no settings class declares a *_METRICS_PORT yet (issue 13 item 6)")
    (variable,) = [v for v in env if METRICS_PORT.match(v)]
    assert variable in declared
    (port,) = _container(name)["ports"]
    assert int(env[variable]) == port["containerPort"]


@pytest.mark.parametrize("name", sorted(n for n, d in WORKLOADS.items() if d["kind"] == "Deployment"))
def test_probes_and_ports_agree(name: str) -> None:
    container, invocation = _container(name), _invocation(name)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        assert container[probe]["httpGet"]["path"] == path
        assert path in OPS_PATHS  # what shared.observability serves, on the API or the metrics port
        assert container[probe]["httpGet"]["port"] in ports
    if invocation.is_http:
        from tests.unit.deploy.processes import listening_port

        env = _env(name)
        assert ports == {"http": listening_port(invocation, env)}
        assert env.get(f"CAMKET_{name.split('-', maxsplit=1)[0].upper()}_HOST") == "0.0.0.0"  # notifications-worker too
    else:
        assert set(ports) == {"metrics"}


def test_services_select_pods_and_target_their_ports() -> None:
    services = [d for d in DOCS if d["kind"] == "Service"]
    assert {s["metadata"]["name"] for s in services} == {"commitments", "reporting", "notifications"}
    for service in services:
        selected = _selected(service["spec"]["selector"])
        assert selected, f"{_id(service)} selects no pod"
        for name in selected:
            names = {p["name"] for p in _container(name)["ports"]}
            assert {p["targetPort"] for p in service["spec"]["ports"]} <= names


def _pod_labels(name: str) -> dict[str, str]:
    labels: dict[str, str] = WORKLOADS[name]["spec"]["template"]["metadata"]["labels"]
    return labels


def _selected(match: dict[str, str]) -> set[str]:
    return {name for name in WORKLOADS if match.items() <= _pod_labels(name).items()}


def test_disruption_budgets_cover_every_long_running_workload() -> None:
    budgets = [d for d in DOCS if d["kind"] == "PodDisruptionBudget"]
    covered = set().union(*(_selected(b["spec"]["selector"]["matchLabels"]) for b in budgets))
    assert covered == {n for n, d in WORKLOADS.items() if d["kind"] == "Deployment"}
    assert all(len(_selected(b["spec"]["selector"]["matchLabels"])) == 1 for b in budgets)


def test_network_policies_deny_by_default_and_select_real_pods() -> None:
    policies = {d["metadata"]["name"]: d for d in DOCS if d["kind"] == "NetworkPolicy"}
    assert policies["default-deny-ingress"]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    other_pods = [{"cnpg.io/cluster": "camket-pg"}, {"app.kubernetes.io/name": "nats"}]  # the operator's, the chart's
    for name, policy in policies.items():
        match = policy["spec"]["podSelector"].get("matchLabels", {})
        assert name == "default-deny-ingress" or _selected(match) or match in other_pods, f"{name} selects nothing"
        for rule in policy["spec"].get("ingress", []):
            for source in rule["from"]:
                labels = source.get("podSelector", {}).get("matchLabels")
                if labels and "namespaceSelector" not in source:
                    assert _selected(labels) or labels in other_pods, f"{name}: source {labels} matches no pod"
    # Every pod that talks to PostgreSQL or NATS is let in by the policies in front of them.
    for name in WORKLOADS:
        env = _env(name)
        assert _pod_labels(name).get("camket.example.gov.vn/postgres-client") == "true"
        if "CAMKET_NATS_USER" in env:
            assert _pod_labels(name).get("camket.example.gov.vn/nats-client") == "true"


def _secrets_of(name: str) -> set[str]:
    spec = pod_spec(WORKLOADS[name])
    assert spec is not None
    mounted = {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
    referenced = {e["valueFrom"]["secretKeyRef"]["name"] for e in _container(name).get("env", []) if "valueFrom" in e}
    return mounted | referenced


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_each_secret_only_where_it_is_needed(name: str) -> None:
    for secret in _secrets_of(name):
        assert name in MAY_HOLD[secret], f"{name} must not hold {secret}"
    env = _env(name)
    if "CAMKET_NATS_USER" in env:
        assert name in NATS_USERS[env["CAMKET_NATS_USER"]]
        assert f"camket-nats-{env['CAMKET_NATS_USER']}" in _secrets_of(name)
    container = _container(name)
    mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
    for variable, value in env.items():
        if variable.endswith(("_FILE", "_FILES")):
            for path in re.findall(r"/[\w./-]+", value):
                assert any(path.startswith(m + "/") for m in mounts), f"{name}: {variable} -> {path} is not mounted"


def test_the_private_keys_are_where_they_belong() -> None:
    assert {n for n in WORKLOADS if "camket-event-signing" in _secrets_of(n)} == {"commitments", "seed"}
    assert {n for n in WORKLOADS if "camket-checkpoint" in _secrets_of(n)} == {"audit-sealer"}
    # production refuses to start notifications without its own webhook secret key
    assert {n for n in WORKLOADS if "CAMKET_NOTIFICATIONS_WEBHOOK_SECRET_KEY_FILE" in _env(n)} == {"notifications",
                                                                                    "notifications-worker"}


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_cam_ket_pods_meet_the_restricted_pod_security_profile(name: str) -> None:
    """The checks of the `restricted` Pod Security Standard that a manifest decides."""
    spec = pod_spec(WORKLOADS[name])
    assert spec is not None
    pod = spec.get("securityContext", {})
    assert pod.get("runAsNonRoot") is True and pod.get("runAsUser", 1) != 0
    assert pod.get("seccompProfile", {}).get("type") in ("RuntimeDefault", "Localhost")
    assert not {"hostNetwork", "hostPID", "hostIPC"} & {k for k, v in spec.items() if v}
    allowed_volumes = {"configMap", "secret", "emptyDir", "projected", "persistentVolumeClaim", "downwardAPI"}
    assert all(set(v) - {"name"} <= allowed_volumes for v in spec.get("volumes", []))
    for container in containers(WORKLOADS[name]):
        context = container.get("securityContext", {})
        assert context.get("allowPrivilegeEscalation") is False
        assert context.get("capabilities", {}).get("drop") == ["ALL"] and not context["capabilities"].get("add")
        assert context.get("readOnlyRootFilesystem") is True  # not required by the profile; ours need no writes
        assert not context.get("privileged") and not any("hostPort" in p for p in container.get("ports", []))


def test_every_process_that_creates_streams_makes_them_at_three_replicas() -> None:
    """Whoever reads CAMKET_STREAM_REPLICAS may create or update the streams: with a different value
    (or the default 1) it would scale the three-node streams down."""
    replicas = {name: _env(name).get("CAMKET_STREAM_REPLICAS") for name in WORKLOADS
                if "CAMKET_STREAM_REPLICAS" in reads(_invocation(name))}
    assert "publisher" in replicas
    assert set(replicas.values()) == {"3"}, replicas
