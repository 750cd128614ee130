"""`camket status` with a publisher and a sealer running as processes: who holds each lease (their
process ids), the publisher's position and lag, the stream, the sealer's size and last checkpoint;
and the sealer's own /metrics and /readyz."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from commitments.application.batching import CommandBatcher
from commitments.publisher.config import PublisherSettings
from devstack.net import free_port
from tests.e2e.support import ServiceProcess, prepare_state
from tests.integration.publisher import load
from tests.integration.publisher.process import PublisherProcess
from tests.polling import eventually

CAMKET = str(Path(sys.executable).parent / "camket")


def status(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([CAMKET, "status", "--json"], env=os.environ | env, capture_output=True, text=True,
                          check=False, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


async def test_status_names_the_lease_holders_positions_and_last_checkpoint(
        settings: PublisherSettings, writer: CommandBatcher, cleanup_streams: list[str], tmp_path: Path) -> None:
    prepare_state(tmp_path)
    load.tasks(writer, 10)
    publisher = PublisherProcess(settings, tmp_path / "publisher.log")
    port = free_port()
    env = publisher.env() | {"CAMKET_COMMITMENTS_AUDIT_CHECKPOINT_SECONDS": "0.2"}
    sealer = ServiceProcess(["audit", "sealer"], env | {"CAMKET_COMMITMENTS_SEALER_METRICS_PORT": str(port)})
    publisher.start()
    sealer.start()
    try:
        async def settled() -> dict[str, Any] | None:
            report = (await asyncio.to_thread(status, env))["commitments"]
            checkpoint = report["sealer"]["last_checkpoint"]
            done = report["publisher"]["published_notification_id"] == 10 and checkpoint and \
                checkpoint["tree_size"] == 10 and isinstance(report["publisher"]["lease"], dict)
            return report if done else None

        report = await eventually(settled, 60)
        assert publisher.process is not None and sealer.proc is not None
        assert report["store"]["last_notification_id"] == 10 and report["publisher"]["lag_events"] == 0
        assert report["publisher"]["lease"]["holder"].startswith("camket-publisher ")
        assert report["publisher"]["lease"]["holder"].endswith(f"pid {publisher.process.pid}")
        assert report["sealer"]["lease"]["holder"].endswith(f"pid {sealer.proc.pid}")
        assert report["sealer"]["sealed_events"] == 10 and report["sealer"]["lag_events"] == 0
        assert report["stream"]["messages"] == 10 and report["stream"]["replicas"] == 1

        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert any(line.startswith("camket_sealer_sealed_events{") and line.endswith(" 10.0")
                   for line in metrics.splitlines()), metrics
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
    finally:
        sealer.stop()
        publisher.stop()
    assert status(env)["commitments"]["publisher"]["lease"] == "nobody (no publisher running)"
