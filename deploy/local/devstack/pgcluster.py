"""A PostgreSQL cluster in a directory of ours: initdb, start, stop, restart, create databases."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

from devstack.net import LOCALHOST, free_port, port_is_free
from devstack.pgbinaries import find_bindir
from devstack.privileges import DB_USER, as_db_owner, check_reachable, db_owner
from devstack.procs import log_tail, pid_alive, pid_cmdline
from devstack.scratch import make_dirs

StopMode = Literal["smart", "fast", "immediate"]
# A unix socket path must fit in sun_path (108 bytes on Linux) including ".s.PGSQL.<port>".
MAX_SOCKET_DIR = 90


class PostgresError(RuntimeError):
    pass


class PostgresCluster:
    """A cluster under ``data_dir``, superuser ``postgres``, trust auth, on 127.0.0.1:``port``.

    Run as root, its files belong to the ``postgres`` system user and its programs run as that
    user, so ``data_dir``'s parent must be traversable by it (see ``devstack.scratch_dir``).
    """

    def __init__(self, data_dir: Path | str, port: int | None = None,
                 socket_dir: Path | str | None = None, log_path: Path | str | None = None,
                 bindir: Path | str | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = port if port is not None else free_port()
        base = self.data_dir.parent
        self.socket_dir = Path(socket_dir or base / f"{self.data_dir.name}-socket").resolve()
        if len(str(self.socket_dir)) > MAX_SOCKET_DIR:
            self.socket_dir = Path(tempfile.mkdtemp(prefix="camket-pg-"))
        self.log_path = Path(log_path or base / f"{self.data_dir.name}.log").resolve()
        self._bindir = Path(bindir) if bindir else None

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, dbname: str) -> str:
        return f"postgresql://{DB_USER}@{LOCALHOST}:{self.port}/{dbname}"

    @property
    def bindir(self) -> Path:
        if self._bindir is None:
            self._bindir = find_bindir()
        return self._bindir

    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def start(self, timeout: float = 60.0) -> PostgresCluster:
        """Create the cluster if needed, then start it and wait until it accepts connections."""
        if self.running_pid() is not None:
            raise PostgresError(f"the cluster in {self.data_dir} already runs")
        if not port_is_free(self.port):
            raise PostgresError(f"port {self.port} is already in use")
        self._prepare_dirs()
        self._drop_stale_lock()
        if not self.initialised():
            self._run("initdb", "-D", str(self.data_dir), "-U", DB_USER, "--auth=trust",
                      "--encoding=UTF8", "--locale=C")
        options = shlex.join(["-c", f"listen_addresses={LOCALHOST}", "-c", f"port={self.port}",
                              "-c", f"unix_socket_directories={self.socket_dir}"])
        # pg_ctl puts the postmaster in a session of its own, so Ctrl-C of ours cannot reach it.
        self._run("pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log_path),
                  "-o", options, "-w", "-t", str(round(timeout)))
        return self

    def stop(self, mode: StopMode = "fast", timeout: float = 60.0) -> None:
        """``fast`` rolls back sessions and checkpoints; ``immediate`` is a crash (WAL recovery)."""
        if self.running_pid() is None:
            return
        self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", mode, "-w",
                  "-t", str(round(timeout)))

    def restart(self, mode: StopMode = "fast") -> PostgresCluster:
        self.stop(mode)
        return self.start()

    def create_database(self, name: str) -> str:
        """Create database ``name`` if missing; returns its URL."""
        from devstack.probes import create_database

        url = self.url_for(name)
        create_database(url)
        return url

    def running_pid(self) -> int | None:
        """The postmaster's pid if this cluster runs (stale postmaster.pid files don't count)."""
        lines = self._postmaster_lines()
        if not lines or not lines[0].isdigit():
            return None
        pid = int(lines[0])
        if pid_alive(pid) and str(self.data_dir) in pid_cmdline(pid):
            return pid
        return None

    def running_port(self) -> int | None:
        """The port the running postmaster listens on (line 4 of postmaster.pid)."""
        lines = self._postmaster_lines()
        if self.running_pid() is None or len(lines) < 4 or not lines[3].isdigit():
            return None
        return int(lines[3])

    def last_port(self) -> int | None:
        """The port of the last start (from postmaster.opts), to keep URLs stable."""
        try:
            opts = (self.data_dir / "postmaster.opts").read_text()
        except OSError:
            return None
        match = re.search(r"port=(\d+)", opts)
        return int(match.group(1)) if match else None

    def _postmaster_lines(self) -> list[str]:
        try:
            return (self.data_dir / "postmaster.pid").read_text().splitlines()
        except OSError:
            return []

    def _drop_stale_lock(self) -> None:
        """Remove a postmaster.pid whose pid now belongs to another program (after a reboot).

        PostgreSQL itself ignores a lock file with a dead pid, but refuses to start while the
        pid is alive, whatever that process is. Called only when ``running_pid()`` is None.
        """
        lines = self._postmaster_lines()
        if lines and lines[0].isdigit() and pid_alive(int(lines[0])):
            command = pid_cmdline(int(lines[0]))
            if command and str(self.data_dir) not in command:
                (self.data_dir / "postmaster.pid").unlink(missing_ok=True)

    def _prepare_dirs(self) -> None:
        owner = db_owner()
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        make_dirs(self.data_dir, owner, mode=0o700)
        make_dirs(self.socket_dir, owner, mode=0o755)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.touch(exist_ok=True)
        if owner is not None:
            os.chown(self.log_path, *owner)
        check_reachable(self.data_dir)

    def _run(self, program: str, *args: str) -> None:
        argv = as_db_owner([str(self.bindir / program), *args])
        result = subprocess.run(argv, capture_output=True, text=True, check=False,
                                stdin=subprocess.DEVNULL, cwd="/", start_new_session=True)
        if result.returncode != 0:
            raise PostgresError(
                f"{program} failed ({result.returncode}): {result.stderr.strip()}\n"
                f"{result.stdout.strip()}\nlog {self.log_path}:\n{log_tail(self.log_path)}")
