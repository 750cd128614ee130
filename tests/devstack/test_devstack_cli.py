"""The command line as make calls it: ensure / status / stop / run, in subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.envfile import load_env_file, read_env_file
from devstack.net import free_port, port_is_free
from devstack.probes import nats_error, postgres_error
from devstack.procs import pid_alive

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
DEVSTACK_PATH = str(HERE.parents[1] / "deploy" / "local")
FAKE_CLI = f"{sys.executable} {HERE / 'fake_camket.py'}"
READY = "Cam kết is running"


@pytest.fixture
def env(state_dir: Path) -> dict[str, str]:
    """The environment of a devstack command whose configured servers are all unreachable."""
    pg_port = free_port()
    return {
        **os.environ,
        "PYTHONPATH": DEVSTACK_PATH,
        "CAMKET_STATE_DIR": str(state_dir),
        "CAMKET_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{pg_port}/camket",
        "CAMKET_TEST_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{pg_port}/camket_test",
        "CAMKET_NATS_URL": f"nats://127.0.0.1:{free_port()}",
        "CAMKET_CLI": FAKE_CLI,
        "FAKE_CAMKET_LOG": str(state_dir.parent / "children.log"),
        "NO_COLOR": "1",
    }


def devstack(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "devstack", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_ensure_status_stop(env: dict[str, str], state_dir: Path) -> None:
    ensured = devstack(env, "ensure")
    assert ensured.returncode == 0, ensured.stderr
    resolved = read_env_file(state_dir / "env")
    assert resolved["CAMKET_DATABASE_URL"] == env["CAMKET_DATABASE_URL"]
    assert resolved["CAMKET_NATS_URL"] == env["CAMKET_NATS_URL"]
    assert postgres_error(resolved["CAMKET_TEST_DATABASE_URL"]) is None

    status = devstack(env, "status")
    assert status.stdout.count(": ok") == 2 and status.stdout.count("running, pid") == 2

    stopped = devstack(env, "stop")
    assert "stopped postgres, nats" in stopped.stderr
    assert nats_error(resolved["CAMKET_NATS_URL"], 1.0) is not None


def test_env_file_reads_the_same_in_shell_and_python(state_dir: Path) -> None:
    from devstack.envfile import write_env_file

    state_dir.mkdir(parents=True)
    values = {"CAMKET_A": "postgresql://u:p@h:1/db?x=1&y=2", "CAMKET_B": "it's $HOME `x` \"q\""}
    write_env_file(state_dir / "env", values)

    shell = subprocess.run(["bash", "-c", f'. "{state_dir}/env"; printf "%s\\0%s" '
                            '"$CAMKET_A" "$CAMKET_B"'], capture_output=True, text=True, check=True)
    assert shell.stdout.split("\0") == list(values.values())
    environ: dict[str, str] = {"CAMKET_A": "kept"}
    assert load_env_file(state_dir / "env", environ) == values
    assert environ == {"CAMKET_A": "kept", "CAMKET_B": values["CAMKET_B"]}


class Running:
    """`devstack run` in a subprocess, its output collected line by line."""

    def __init__(self, env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack", "run"], env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, "".join(self.lines)
            assert time.monotonic() < deadline, "".join(self.lines)
            time.sleep(0.1)

    @property
    def output(self) -> str:
        return "".join(self.lines)


@pytest.fixture
def running(env: dict[str, str]) -> Iterator[Running]:
    if not all(port_is_free(port) for port in (8001, 8002, 8003)):
        pytest.skip("ports 8001-8003 are in use (a `make run` going?)")
    run = Running(env)
    yield run
    if run.process.poll() is None:
        run.process.kill()
        run.process.wait()


def children(env: dict[str, str]) -> list[int]:
    return [int(line.split()[1]) for line in Path(env["FAKE_CAMKET_LOG"]).read_text().splitlines()]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_run_brings_the_stack_up_and_down(running: Running, env: dict[str, str],
                                          sig: signal.Signals) -> None:
    running.wait_for(READY)
    running.wait_for("inspector    token-inspector")
    assert "http://127.0.0.1:8002/" in running.output
    resolved = read_env_file(Path(env["CAMKET_STATE_DIR"]) / "env")

    running.process.send_signal(sig)

    assert running.process.wait(timeout=60) == 0, running.output
    assert not [pid for pid in children(env) if pid_alive(pid)]
    assert "stopping postgres, nats (started by this run)" in running.output
    assert postgres_error(resolved["CAMKET_DATABASE_URL"]) is not None


def test_a_child_that_dies_takes_the_stack_down_loudly(state_dir: Path,
                                                       env: dict[str, str]) -> None:
    env["FAKE_CAMKET_CRASH"] = "publisher"
    if not all(port_is_free(port) for port in (8001, 8002, 8003)):
        pytest.skip("ports 8001-8003 are in use (a `make run` going?)")
    run = Running(env)

    assert run.process.wait(timeout=90) == 1, run.output
    assert "publisher exited unexpectedly with code 3" in run.output
    assert not [pid for pid in children(env) if pid_alive(pid)]
    assert not (state_dir / "pgdata" / "postmaster.pid").exists()
