"""A renderer for deploy/k8s/kustomization.yaml doing what `kubectl apply -k` does with the fields it
uses (namespace, labels, images, resources). Any other field is refused: the checks must never look
at something other than what kubectl would apply."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SUPPORTED = {"apiVersion", "kind", "namespace", "labels", "images", "resources"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass"}
WITH_POD_TEMPLATE = {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}


def render(directory: Path) -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise ValueError(f"kustomization fields this renderer does not implement: {sorted(unknown)}")
    documents = []
    for resource in kustomization["resources"]:
        for document in yaml.safe_load_all((directory / resource).read_text(encoding="utf-8")):
            if document is not None:
                documents.append(_transform(copy.deepcopy(document), kustomization))
    return documents


def _transform(document: dict[str, Any], kustomization: dict[str, Any]) -> dict[str, Any]:
    metadata = document.setdefault("metadata", {})
    if "namespace" in kustomization and document["kind"] not in CLUSTER_SCOPED:
        metadata["namespace"] = kustomization["namespace"]
    for entry in kustomization.get("labels", []):
        if entry.get("includeSelectors"):
            raise ValueError("labels.includeSelectors is not implemented")
        metadata.setdefault("labels", {}).update(entry["pairs"])
        if entry.get("includeTemplates") and document["kind"] in WITH_POD_TEMPLATE:
            template = document["spec"]["template"].setdefault("metadata", {})
            template.setdefault("labels", {}).update(entry["pairs"])
    for image in kustomization.get("images", []):
        for container in containers(document):
            name, _, tag = container["image"].partition(":")
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"
    return document


def pod_spec(document: dict[str, Any]) -> dict[str, Any] | None:
    if document["kind"] in WITH_POD_TEMPLATE:
        spec: dict[str, Any] = document["spec"]["template"]["spec"]
        return spec
    return None


def containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(document)
    return [] if spec is None else [*spec.get("initContainers", []), *spec["containers"]]
