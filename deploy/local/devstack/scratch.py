"""Temporary directories that a PostgreSQL server run as another user can still reach."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_dir(prefix: str = "camket-") -> Iterator[Path]:
    """A fresh directory under the system temp dir, removed afterwards.

    pytest's ``tmp_path`` lives under ``/tmp/pytest-of-<user>/`` with mode 0700; when the tests
    run as root, PostgreSQL runs as the ``postgres`` user and cannot enter it. This directory is
    world-traversable (0755) so a cluster's data dir can be created inside it.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def make_dirs(path: Path, owner: tuple[int, int] | None = None, mode: int = 0o755) -> Path:
    """Create ``path`` (and parents) and hand it to ``owner`` (uid, gid) when given."""
    path.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        os.chown(path, *owner)
    path.chmod(mode)
    return path
