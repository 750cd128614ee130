"""Profiles of benchmark phases: `python -m bench --profile NAME` (pyinstrument, this process) and
`python -m bench --spy NAME` (py-spy, this process and every child: uvicorn services, the publisher's
reading workers); both flags may be given together.

A benchmark marks what it measures with `with phase("publisher"):`; each marked phase gets its own
report, so the setup (writing a backlog, starting servers) stays out of the figures. A module that
marks no phase is profiled whole (`__main__` wraps its run). Reports go to CAMKET_PROFILE_DIR
(default: <tmp>/camket-profiles/<time>/): `<phase>.txt` and `<phase>.html` from pyinstrument,
`<phase>.spy.txt` (collapsed stacks: open it in speedscope or a flame-graph tool) and
`<phase>.spy.top.txt` (the top functions per process, by own and by total samples) from py-spy.
CAMKET_PROFILE_SPY_ARGS adds py-spy options (e.g. `--gil`: only the thread holding the GIL).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

PYINSTRUMENT, PYSPY = "pyinstrument", "py-spy"


class _State:
    modes: ClassVar[set[str]] = set()
    directory = Path()
    active = False  # phases do not nest: an inner one inside a profiled phase is not profiled apart


def enable(modes: set[str]) -> Path:
    _State.modes = set(modes)
    root = Path(os.environ.get("CAMKET_PROFILE_DIR", Path(tempfile.gettempdir()) / "camket-profiles"))
    _State.directory = root / time.strftime("%Y%m%d-%H%M%S")
    _State.directory.mkdir(parents=True, exist_ok=True)
    return _State.directory


@contextmanager
def phase(name: str) -> Iterator[None]:
    if not _State.modes or _State.active:
        yield
        return
    _State.active, directory = True, _State.directory
    name = _unused(name)
    spy = _start_spy(directory / f"{name}.spy.txt") if PYSPY in _State.modes else None
    profiler = _start_pyinstrument() if PYINSTRUMENT in _State.modes else None
    try:
        yield
    finally:
        _State.active = False
        if profiler is not None:
            profiler.stop()
            (directory / f"{name}.txt").write_text(profiler.output_text(unicode=True, color=False))
            (directory / f"{name}.html").write_text(profiler.output_html())
        if spy is not None:
            _stop_spy(spy, directory / f"{name}.spy.txt")
        print(f"   profile of {name}: {directory}/{name}.*", flush=True)


def _unused(name: str) -> str:
    """`name`, or `name-2`, `name-3`... for a phase measured more than once (rounds)."""
    taken = {p.name.split(".")[0] for p in _State.directory.iterdir()}
    return next(n for n in (name, *(f"{name}-{i}" for i in range(2, 1000))) if n not in taken)


def _start_pyinstrument() -> Any:
    from pyinstrument import Profiler  # a dev dependency: imported only when asked for

    profiler = Profiler(interval=0.001, async_mode="disabled")  # every frame, whatever awaits it
    profiler.start()
    return profiler


def _start_spy(output: Path) -> subprocess.Popen[bytes]:
    spy = Path(sys.executable).parent / "py-spy"
    proc = subprocess.Popen([str(spy), "record", "--pid", str(os.getpid()), "--subprocesses", "--format", "raw",
                             "--rate", "200", "--function", "--nonblocking", "-o", str(output),
                             *os.environ.get("CAMKET_PROFILE_SPY_ARGS", "").split()],  # e.g. "--gil"
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)  # py-spy attaches (and finds the children) before the phase starts
    return proc


def _stop_spy(proc: subprocess.Popen[bytes], output: Path) -> None:
    proc.send_signal(signal.SIGINT)  # py-spy writes what it sampled on SIGINT
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
    if output.exists():
        output.with_suffix(".top.txt").write_text(summarise(output.read_text()))
    else:
        print(f"   py-spy wrote nothing: {proc.stderr.read().decode() if proc.stderr else ''}", flush=True)


_PROCESS = re.compile(r"^process (\d+):\"?(.*?)\"?$")


def summarise(collapsed: str, top: int = 25) -> str:
    """Per process: the functions with the most samples of their own and in total (once per stack)."""
    own: dict[str, Counter[str]] = defaultdict(Counter)
    total: dict[str, Counter[str]] = defaultdict(Counter)
    samples: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        process = "this process"
        while frames and frames[0].startswith("process "):  # parent first, then each child down to this one
            end = next((i for i, f in enumerate(frames) if f.endswith('"')), 0)  # a command line may hold ";"
            head, frames = ";".join(frames[:end + 1]), frames[end + 1:]
            match = _PROCESS.match(head)
            process = f"{match[1]} {match[2][-90:]}" if match else head[:90]
        if frames and frames[0].startswith("thread "):
            frames = frames[1:]
        n = int(count)
        samples[process] += n
        if frames:
            own[process][frames[-1]] += n
        for frame in set(frames):
            total[process][frame] += n
    lines, everything = [], sum(samples.values()) or 1
    for process, n in samples.most_common():
        lines.append(f"== {process}: {n} samples, {100 * n / everything:.1f}% of all")
        for title, counter in (("own", own[process]), ("total", total[process])):
            lines.append(f"-- by {title} samples")
            lines += [f"{100 * c / n:6.1f}%  {frame}" for frame, c in counter.most_common(top)]
        lines.append("")
    return "\n".join(lines)
