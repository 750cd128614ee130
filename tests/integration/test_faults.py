"""The fault hook's handshake in a real child process: armed, it pauses after every N-th batch of its
point (and of no other point) until told to go on; unarmed, it never pauses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.faults import FaultPoint

CHILD = """
import sys
from shared import faults
print(faults.ARMED, flush=True)
for n in range(1, 6):
    faults.batch_done_blocking("other")  # never pauses: not an armed point
    faults.batch_done_blocking("consumer")
    print(n, flush=True)
"""


def child(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD], env=os.environ | env, stdout=subprocess.PIPE, text=True)


async def test_pauses_after_every_nth_batch_of_its_point_until_told_to_go_on(tmp_path: Path) -> None:
    fault = FaultPoint(tmp_path, "consumer", every=2)
    process = child(fault.env())
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "True"
    assert await fault.paused() == 2
    assert process.stdout.readline().strip() == "1"  # the first batch went by; the second holds
    assert process.poll() is None
    fault.go_on()
    assert await fault.paused(after=2) == 4
    assert [process.stdout.readline().strip() for _ in range(2)] == ["2", "3"]
    fault.go_on()
    assert process.stdout.read().split() == ["4", "5"]
    assert process.wait(10) == 0
    assert not list(tmp_path.iterdir())  # both handshake files gone


def test_unarmed_it_never_pauses(tmp_path: Path) -> None:
    env = {"CAMKET_FAULT_PAUSE_AFTER_BATCHES": "", "CAMKET_FAULT_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", CHILD], env=os.environ | env, capture_output=True, text=True,
                          timeout=30, check=True)
    assert done.stdout.split() == ["False", "1", "2", "3", "4", "5"]
    assert not list(tmp_path.iterdir())

