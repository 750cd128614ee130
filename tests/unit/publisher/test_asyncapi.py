"""The AsyncAPI document: the committed copy is what the contracts generate, and it is whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from shared.asyncapi import document, render
from shared.contracts.v1 import EVENT_TYPES

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"


def test_the_committed_document_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), "docs/asyncapi.yaml is stale: run `camket asyncapi`"


def test_every_event_type_has_a_channel_an_operation_and_a_message() -> None:
    doc = yaml.safe_load(render())
    assert doc["asyncapi"] == "3.0.0"
    for name in EVENT_TYPES:
        assert doc["channels"][name]["address"] == f"{{prefix}}.v1.{{org}}.events.{{unit}}.{name}"
        assert doc["operations"][f"publish{name}"]["action"] == "send"
        message = doc["components"]["messages"][name]
        assert message["payload"] == {"$ref": f"#/components/schemas/{name}V1"}
        assert message["headers"]["allOf"][1]["properties"]["ce-type"]["const"] == f"vn.camket.task.{name}.v1"


def test_every_reference_resolves() -> None:
    doc = document()
    refs = list(_refs(doc))
    assert len(refs) > 50
    for ref in refs:
        node: Any = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]


def test_payload_schemas_require_what_the_contracts_require() -> None:
    schemas = document()["components"]["schemas"]
    for name, cls in EVENT_TYPES.items():
        required = {f for f, info in cls.model_fields.items() if info.is_required()}
        assert set(schemas[f"{name}V1"]["required"]) == required


def _refs(node: Any) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)
