"""The alerting rules name only metrics the processes export, and read as Prometheus rule files."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "deploy" / "prometheus" / "camket-rules.yaml"
METRIC = re.compile(r"\bcamket_[a-z_]+\b")
SOURCES = [*ROOT.glob("shared/**/*.py"), *ROOT.glob("services/**/*.py")]


def exported() -> set[str]:
    """Every metric name the code builds: literal names, and f"camket_<family>_{key}" families with
    the keys written beside them in the same module."""
    names: set[str] = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'"(camket_[a-z_]+)"', text))
        for family in re.findall(r'f"(camket_[a-z]+)_\{[a-z]+\}"', text):
            names |= {f"{family}_{key}" for key in re.findall(r'"([a-z_]+)"(?:, |: \()"', text)}
    return names


def test_every_rule_is_complete_and_names_exported_metrics() -> None:
    document = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    rules = [rule for group in document["groups"] for rule in group["rules"]]
    assert rules
    known = exported()
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert {"summary", "description"} <= set(rule["annotations"])
        used = set(METRIC.findall(rule["expr"]))
        assert used and used <= known, (rule["alert"], used - known)


def test_a_parked_event_raises_an_alert() -> None:
    text = RULES.read_text(encoding="utf-8")
    assert "camket_consumer_parked_events" in text
