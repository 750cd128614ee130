"""Where the PostgreSQL server programs (initdb, pg_ctl, postgres) are.

In order: ``CAMKET_PG_BINDIR`` if set; the system's (``pg_config --bindir``, then the newest
``/usr/lib/postgresql/*/bin``); else the binaries bundled in the ``pgserver`` wheel, which is
pip-installed into the running venv on first need.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from shutil import which

from devstack import console

REQUIRED = ("initdb", "pg_ctl", "postgres")


class PgBinariesError(RuntimeError):
    pass


def find_bindir(install: bool = True) -> Path:
    explicit = os.environ.get("CAMKET_PG_BINDIR")
    if explicit:
        if not _complete(Path(explicit)):
            raise PgBinariesError(f"CAMKET_PG_BINDIR={explicit} lacks one of {REQUIRED}")
        return Path(explicit)
    for candidate in [*_system_candidates(), _pgserver_bindir()]:
        if candidate is not None and _complete(candidate):
            return candidate
    if not install:
        raise PgBinariesError("no PostgreSQL server binaries found")
    return install_pgserver()


def install_pgserver() -> Path:
    """pip-install ``pgserver`` (it bundles PostgreSQL) into this venv and return its bin dir."""
    if sys.prefix == sys.base_prefix:
        raise PgBinariesError(
            "no PostgreSQL server binaries found, and not in a venv to install pgserver into; "
            "install PostgreSQL (e.g. `apt-get install postgresql`) or run through `make`")
    console.say("no PostgreSQL server binaries on this machine; installing pgserver from PyPI")
    # Only its bundled binaries are used, so its Python dependencies are not needed.
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "pgserver"], check=True)
    importlib.invalidate_caches()
    bindir = _pgserver_bindir()
    if bindir is None or not _complete(bindir):
        raise PgBinariesError("pgserver installed but its PostgreSQL binaries are missing")
    return bindir


def _system_candidates() -> list[Path]:
    candidates: list[Path] = []
    pg_config = which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                check=False)
        if result.returncode == 0 and result.stdout.strip():
            candidates.append(Path(result.stdout.strip()))
    # Debian's layout; pg_config may be missing (it is in libpq-dev) or point at client-only dirs.
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_major, reverse=True)
    candidates.extend(versions)
    return candidates


def _pgserver_bindir() -> Path | None:
    # find_spec does not import the package, so its own dependencies need not be installed.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _complete(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in REQUIRED)


def _major(bindir: Path) -> int:
    version = bindir.parent.name
    return int(version) if version.isdigit() else 0
