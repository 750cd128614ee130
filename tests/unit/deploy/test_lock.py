"""deploy/requirements.lock: the image installs exactly it, hash-checked, and it covers pyproject.toml.

A dependency added to pyproject.toml without `deploy/lock.sh` fails here, naming the package."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
LOCK = ROOT / "deploy" / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)(?:\s*;[^\\]*)?\s*\\?$")
# What the image is: python:3.11-slim, Linux.
IMAGE_ENV = default_environment() | {"python_version": "3.11", "python_full_version": "3.11.0",
                                     "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}


def _lock() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    pins: dict[str, tuple[str, int]] = {}
    current = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(r) for r in project["project"]["dependencies"] + project["build-system"]["requires"]]


def _extra_requirements(requirement: Requirement) -> list[Requirement]:
    """What the extras of a requirement pull in (psycopg[pool] -> psycopg-pool), from its metadata."""
    try:
        declared = requires(requirement.name) or []
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is not installed in the venv: run make install")
    pulled = []
    for text in declared:
        dependency = Requirement(text)
        if dependency.marker is not None and any(
                dependency.marker.evaluate(IMAGE_ENV | {"extra": extra}) for extra in requirement.extras) and not \
                dependency.marker.evaluate(IMAGE_ENV | {"extra": ""}):
            pulled.append(dependency)
    return pulled


def test_every_pin_is_hashed() -> None:
    pins = _lock()
    assert len(pins) > 20
    assert [name for name, (_, hashes) in pins.items() if hashes == 0] == []


@pytest.mark.parametrize("requirement", _wanted(), ids=str)
def test_the_lock_satisfies_each_dependency_of_pyproject(requirement: Requirement) -> None:
    pins = _lock()
    for needed in [requirement, *_extra_requirements(requirement)]:
        name = canonicalize_name(needed.name)
        assert name in pins, f"{needed} is not in deploy/requirements.lock: run deploy/lock.sh"
        assert needed.specifier.contains(pins[name][0], prereleases=True), (
            f"the lock pins {name}=={pins[name][0]}, pyproject.toml wants {needed}: run deploy/lock.sh")


def test_the_image_installs_from_the_lock_with_hashes_and_nothing_else() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    installs = [line.strip() for line in dockerfile.splitlines() if "pip install" in line]
    assert installs, "the Dockerfile installs nothing"
    locked = [line for line in installs if "-r /tmp/requirements.lock" in line]
    assert locked and all("--require-hashes" in line for line in locked)
    assert "COPY deploy/requirements.lock /tmp/requirements.lock" in dockerfile
    # Any other pip install brings nothing from an index: the project itself, without dependencies.
    others = [line for line in installs if line not in locked]
    assert all("--no-deps" in line and "--no-build-isolation" in line for line in others), others
