"""deploy/k8s/nats-values.yaml against the official NATS chart's values (chart 2.14.2, copied in
schemas/): every key is one the chart has, three JetStream nodes on file storage with fsync before
ack, the accounts of deploy/nats/accounts.conf included, each password from its own Secret."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.unit.deploy.kustomize import render

ROOT = Path(__file__).resolve().parents[3]
VALUES_TEXT = (ROOT / "deploy" / "k8s" / "nats-values.yaml").read_text(encoding="utf-8")
VALUES: dict[str, Any] = yaml.safe_load(VALUES_TEXT)
CHART: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "schemas" / "nats-chart-2.14.2-values.yaml")
                                       .read_text(encoding="utf-8"))
ACCOUNTS = (ROOT / "deploy" / "nats" / "accounts.conf").read_text(encoding="utf-8")
# Where the chart takes free-form maps (merged into the NATS config or a resource, env var maps).
FREE_FORM = {"merge", "env", "patch", "topologySpreadConstraints"}


def _unknown(values: dict[str, Any], chart: dict[str, Any], path: str = "") -> list[str]:
    found = []
    for key, value in values.items():
        if key not in chart:
            found.append(f"{path}.{key}")
        elif key not in FREE_FORM and isinstance(value, dict) and isinstance(chart[key], dict):
            found += _unknown(value, chart[key], f"{path}.{key}")
    return found


def test_every_key_is_one_the_chart_has() -> None:
    assert _unknown(VALUES, CHART) == []
    assert _unknown({"config": {"clustr": {}}}, CHART) == [".config.clustr"]


def test_three_jetstream_nodes_on_file_storage_that_fsync_before_ack() -> None:
    config = VALUES["config"]
    assert config["cluster"]["enabled"] is True and config["cluster"]["replicas"] == 3
    jetstream = config["jetstream"]
    assert jetstream["enabled"] is True and jetstream["fileStore"]["enabled"] is True
    assert jetstream["fileStore"]["pvc"]["enabled"] is True
    assert jetstream["merge"]["sync_interval"] == "always"
    # The streams are created at as many replicas as there are nodes (every process reads camket-config).
    (common,) = [d for d in render(ROOT / "deploy" / "k8s") if d["metadata"]["name"] == "camket-config"]
    assert common["data"]["CAMKET_STREAM_REPLICAS"] == str(config["cluster"]["replicas"])


def test_the_accounts_file_is_included_from_its_one_source() -> None:
    includes = [v for k, v in VALUES["config"]["merge"].items() if k.endswith("$include")]
    assert includes == ["accounts.conf"]
    assert "--set-file 'configMap.merge.data.accounts\\.conf=deploy/nats/accounts.conf'" in VALUES_TEXT
    assert "configMap" not in VALUES  # no copy of the file that could drift from deploy/nats/accounts.conf


def test_every_password_the_accounts_name_comes_from_its_own_secret() -> None:
    variables = set(re.findall(r"\$(CAMKET_NATS_\w+_PASSWORD)", ACCOUNTS))
    env = VALUES["container"]["env"]
    assert set(env) == variables
    for variable, source in env.items():
        user = variable.removeprefix("CAMKET_NATS_").removesuffix("_PASSWORD").lower()
        assert source == {"valueFrom": {"secretKeyRef": {"name": f"camket-nats-{user}", "key": "password"}}}


def test_the_nats_pods_carry_the_labels_the_network_policies_expect() -> None:
    # The chart labels its pods app.kubernetes.io/name=<chart name> unless nameOverride says otherwise.
    assert VALUES.get("nameOverride") is None and CHART["nameOverride"] is None
