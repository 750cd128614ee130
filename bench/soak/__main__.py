"""`python -m bench.soak` (`make soak`; SOAK_SECONDS, default 600): see the package's docstring."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.scratch import DATABASE_URL
from bench.services import ROOT
from bench.soak import report, targets
from bench.soak.cleanup import remove
from bench.soak.load import Recorder, drive
from bench.soak.report import Sample
from bench.soak.sample import children_by_parent, lag, tree_rss
from bench.trend import MIB
from shared.messaging import connect

NATS_URL = os.environ.get("CAMKET_NATS_URL", "nats://127.0.0.1:4222")
EVERY = 10.0  # seconds between samples
READY_TIMEOUT = 300.0


def main() -> int:
    seconds = float(os.environ.get("SOAK_SECONDS", "600"))
    tag = uuid.uuid4().hex[:8]
    log = Path(tempfile.gettempdir()) / f"camket-soak-{tag}.log"
    with tempfile.TemporaryDirectory(prefix="camket-soak-") as state_dir:
        state, ready = Path(state_dir), Path(state_dir) / "ready.json"
        with log.open("w") as out:
            stack = subprocess.Popen([sys.executable, "-m", "bench.soak.stack", str(state), str(ready)], cwd=ROOT,
                                     env=os.environ | {"CAMKET_SOAK_TAG": tag}, stdout=out,
                                     stderr=subprocess.STDOUT)
        print(f"soak {tag}: the stack's output goes to {log}", flush=True)
        info: dict[str, object] = {}
        try:
            info = _wait_ready(stack, ready, log)
            return asyncio.run(_soak(info, state, seconds))
        finally:
            stack.terminate()
            try:
                stack.wait(90)
            except subprocess.TimeoutExpired:
                stack.kill()
            asyncio.run(remove(tag, DATABASE_URL, NATS_URL))


def _wait_ready(stack: subprocess.Popen[bytes], ready: Path, log: Path) -> dict[str, object]:
    deadline = time.monotonic() + READY_TIMEOUT
    while not ready.exists():
        if stack.poll() is not None or time.monotonic() > deadline:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise RuntimeError(f"the stack did not come up:\n{tail}")
        time.sleep(0.5)
    info: dict[str, object] = json.loads(ready.read_text())
    return info


async def _soak(info: dict[str, object], state: Path, seconds: float) -> int:
    nc = await connect(str(info["nats_url"]), "camket-soak", attempts=3)
    try:
        plan = await targets.prepare(info, state, nc)
        recorder = Recorder()
        print(f"soak: {len(plan.tasks)} tasks, {seconds:.0f} s at "
              + ", ".join(f"{k.name} {k.rate:g}/s" for k in plan.kinds), flush=True)
        samples: list[Sample] = []
        load = asyncio.create_task(drive(plan.kinds, seconds, recorder))
        while not load.done():
            samples.append(await _sample(info, plan, nc, recorder))
            _print_live(samples[-1], recorder)
            await asyncio.wait([load], timeout=EVERY)
        await load
        samples.append(await _sample(info, plan, nc, recorder))
    finally:
        await nc.close()
    return _verdict(samples, recorder, [k.name for k in plan.kinds])


async def _sample(info: dict[str, object], plan: targets.Plan, nc: object, recorder: Recorder) -> Sample:
    tree = children_by_parent()
    pids: dict[str, int] = info["pids"]  # type: ignore[assignment]
    lags = {name: (await lag(nc, plan.database_url, options))[0]  # type: ignore[arg-type]
            for name, options in plan.consumers.items()}
    return Sample(recorder.now(), {name: tree_rss(pid, tree) for name, pid in pids.items()}, lags, os.getloadavg()[0])


def _print_live(sample: Sample, recorder: Recorder) -> None:
    answered = len(recorder.answers)
    print(f"  {sample.at:5.0f}s  " + "  ".join(f"{n} {v / MIB:.0f}M" for n, v in sample.rss.items())
          + "  " + "  ".join(f"{n} lag {v}" for n, v in sample.lags.items())
          + f"  answers {answered}  load {sample.load:.1f}", flush=True)


def _verdict(samples: list[Sample], recorder: Recorder, kinds: list[str]) -> int:
    print("\n" + report.table(samples, recorder, kinds) + "\n")
    memory, lags = report.memory_verdicts(samples), report.lag_verdicts(samples)
    for name, trend in memory.items():
        print(f"memory {name}: {trend.describe('MiB', MIB)}")
    for name, trend in lags.items():
        print(f"lag {name}: {trend.describe('events')}")
    failed = {k: sum(1 for _, kind, _, ok in recorder.answers if kind == k and not ok) for k in kinds}
    total = {k: sum(1 for _, kind, _, _ in recorder.answers if kind == k) for k in kinds}
    print("answers: " + ", ".join(f"{k} {total[k]:,} ({failed[k]} failed, {recorder.skipped.get(k, 0)} skipped)"
                                  for k in kinds))
    for kind, failure in recorder.failures.items():
        print(f"  last failure of {kind}: {failure}")
    growing = [f"memory of {n}" for n, t in memory.items() if t.growing]
    growing += [f"lag of {n}" for n, t in lags.items() if t.growing]
    print(f"verdict: {'GROWING: ' + ', '.join(growing) if growing else 'memory bounded and lags steady'}")
    return 1 if growing or any(failed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
