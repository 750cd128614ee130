"""The ``.camket/env`` file: resolved settings as shell ``export`` lines.

The Makefile sources it (``. .camket/env``) before pytest and the bench; Python code that is not
started through make can call :func:`load_env_file` instead. One format serves both: each line is
``export NAME=VALUE`` with VALUE quoted by :func:`shlex.quote`, so shell and :mod:`shlex` agree.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, MutableMapping
from pathlib import Path

HEADER = "# Written by `python -m devstack ensure`; regenerated on every ensure. Do not edit.\n"


def write_env_file(path: Path, values: Mapping[str, str]) -> None:
    lines = [f"export {name}={shlex.quote(value)}\n" for name, value in values.items()]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(HEADER + "".join(lines), encoding="utf-8")
    # Atomic replace: a concurrent `. .camket/env` never sees a half-written file.
    tmp.replace(path)


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            words = words[1:]
        for word in words:
            name, sep, value = word.partition("=")
            if sep:
                values[name] = value
    return values


def load_env_file(
    path: Path | str = ".camket/env",
    environ: MutableMapping[str, str] = os.environ,
    override: bool = False,
) -> dict[str, str]:
    """Put the file's settings into ``environ`` (by default only those not already set).

    Returns what the file holds; a missing file yields ``{}`` so callers can use it
    unconditionally (e.g. from a root ``conftest.py``).
    """
    path = Path(path)
    if not path.exists():
        return {}
    values = read_env_file(path)
    for name, value in values.items():
        if override or name not in environ:
            environ[name] = value
    return values
