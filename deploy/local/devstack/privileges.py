"""Running PostgreSQL's programs as an unprivileged user when we are root.

``initdb``, ``pg_ctl`` and ``postgres`` refuse to run as root. Developers' machines and CI here
run as root, so the cluster belongs to the ``postgres`` system user and its programs are started
through ``runuser`` (or ``su`` where runuser is missing).
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
from pathlib import Path

DB_USER = "postgres"


class PrivilegeError(RuntimeError):
    pass


def running_as_root() -> bool:
    return os.geteuid() == 0


def db_owner() -> tuple[int, int] | None:
    """(uid, gid) that must own the cluster's files, or None when it is simply us."""
    if not running_as_root():
        return None
    try:
        entry = pwd.getpwnam(DB_USER)
    except KeyError:
        raise PrivilegeError(
            f"running as root, and PostgreSQL refuses root; create a '{DB_USER}' system user "
            f"(e.g. `useradd --system {DB_USER}`) or run as a normal user"
        ) from None
    return entry.pw_uid, entry.pw_gid


def as_db_owner(argv: list[str]) -> list[str]:
    """``argv`` wrapped so that it runs as the cluster's owner."""
    if not running_as_root():
        return argv
    db_owner()  # fails clearly when the user is missing
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", DB_USER, "--", *argv]
    return ["su", DB_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]


def check_reachable(path: Path) -> None:
    """Fail clearly when the cluster's owner cannot enter ``path`` (e.g. pytest's 0700 tmp)."""
    if not running_as_root():
        return
    probe = as_db_owner(["test", "-x", str(path), "-a", "-w", str(path)])
    if subprocess.run(probe, check=False).returncode != 0:
        raise PrivilegeError(
            f"PostgreSQL runs as the '{DB_USER}' user, which cannot enter or write {path}. "
            "Put the cluster in a directory every user can traverse, e.g. one made by "
            "devstack.scratch_dir(), not under pytest's tmp_path."
        )
