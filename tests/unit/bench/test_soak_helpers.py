"""The soak's pure parts: `make run`'s table moved to free ports, and memory summed over a process tree
read from a /proc laid out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak.sample import children_by_parent, tree_rss
from bench.soak.stack import moved, scratch_environment
from bench.soak.targets import RATES, rates
from devstack.stack import STACK, Service


def test_every_service_moves_to_its_new_port_and_nothing_else_changes() -> None:
    ports = {"commitments": 41001, "reporting": 41002, "notifications": 41003}
    steps = moved(STACK, ports)
    assert [s.name for s in steps] == [s.name for s in STACK]
    by_name = {s.name: s for s in steps}
    for name, port in ports.items():
        service = by_name[name]
        assert isinstance(service, Service)
        assert service.port == port
        assert service.args[-2:] == ("--port", str(port))
    assert [s for s in steps if s.name not in ports] == [s for s in STACK if s.name not in ports]


def test_the_scratch_environment_names_its_own_schemas_prefix_and_ports() -> None:
    env = scratch_environment("ab12", "postgresql://x/camket_test", {"commitments": 5, "reporting": 6})
    assert env["CAMKET_SUBJECT_PREFIX"] == "soakab12"
    assert {env[f"CAMKET_{s}_DB_SCHEMA"] for s in ("COMMITMENTS", "REPORTING", "NOTIFICATIONS")} == {
        "soak_ab12_commitments", "soak_ab12_reporting", "soak_ab12_notifications"}
    assert env["CAMKET_REPORTING_COMMITMENTS_URL"] == "http://127.0.0.1:5"
    assert env["CAMKET_DATABASE_URL"] == "postgresql://x/camket_test"


def _process(proc: Path, pid: int, parent: int, rss_kib: int, name: str = "python3") -> None:
    (proc / str(pid)).mkdir()
    (proc / str(pid) / "stat").write_text(f"{pid} ({name}) S {parent} {pid} {pid} 0 -1\n")
    (proc / str(pid) / "status").write_text(f"Name:\t{name}\nVmRSS:\t  {rss_kib} kB\nThreads:\t4\n")


def test_a_service_counts_its_own_memory_and_its_descendants(tmp_path: Path) -> None:
    _process(tmp_path, 100, 1, 1000, "camket serve")  # a space in the name
    _process(tmp_path, 101, 100, 500, "uvicorn (worker)")  # and a parenthesis
    _process(tmp_path, 102, 101, 250)
    _process(tmp_path, 200, 1, 4000)  # another service
    (tmp_path / "self").mkdir()  # not a process
    tree = children_by_parent(tmp_path)
    assert tree_rss(100, tree, tmp_path) == (1000 + 500 + 250) * 1024
    assert tree_rss(200, tree, tmp_path) == 4000 * 1024
    assert tree_rss(999, tree, tmp_path) == 0  # gone meanwhile


def test_soak_rates_can_be_changed_or_left_out_by_kind() -> None:
    assert rates("") == RATES
    changed = rates("command=0, dashboard=5")
    assert "command" not in changed
    assert changed["dashboard"] == 5.0
    assert changed["alerts"] == RATES["alerts"]
    with pytest.raises(ValueError, match="unknown kind 'comand'"):
        rates("comand=1")
