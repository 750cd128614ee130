"""The small kustomize renderer the Kubernetes checks use: what it does with namespace, labels and
images (as kubectl's kustomize does), and that it refuses fields it does not implement."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.unit.deploy.kustomize import render

DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
              "spec": {"selector": {"matchLabels": {"app": "x"}},
                       "template": {"metadata": {"labels": {"app": "x"}},
                                    "spec": {"containers": [{"name": "x", "image": "camket:0.1.0"}]}}}}


def _write(tmp_path: Path, kustomization: dict[str, object]) -> Path:
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump(kustomization))
    (tmp_path / "x.yaml").write_text(yaml.safe_dump_all([{"apiVersion": "v1", "kind": "Namespace",
                                                          "metadata": {"name": "camket"}}, DEPLOYMENT]))
    return tmp_path


def test_namespace_labels_and_images(tmp_path: Path) -> None:
    namespace, deployment = render(_write(tmp_path, {
        "namespace": "camket", "resources": ["x.yaml"],
        "labels": [{"pairs": {"part-of": "camket"}, "includeTemplates": True}],
        "images": [{"name": "camket", "newName": "registry.example.gov.vn/camket", "newTag": "0.2.0"}]}))
    assert "namespace" not in namespace["metadata"]
    assert deployment["metadata"]["namespace"] == "camket"
    assert deployment["metadata"]["labels"] == {"part-of": "camket"}
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": "x", "part-of": "camket"}
    assert deployment["spec"]["selector"]["matchLabels"] == {"app": "x"}  # selectors untouched
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example.gov.vn/camket:0.2.0"


@pytest.mark.parametrize("kustomization", [
    {"resources": ["x.yaml"], "patches": []},
    {"resources": ["x.yaml"], "labels": [{"pairs": {}, "includeSelectors": True}]},
])
def test_what_it_does_not_implement_is_refused(tmp_path: Path, kustomization: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="not implement"):
        render(_write(tmp_path, kustomization))
