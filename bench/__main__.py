"""`python -m bench [--profile] [--spy] [names...]`: runs every bench/bench_*.py (each bounded in time) and
prints one table; `--profile` / `--spy` also write profiles of each measured phase (see bench.profiling).

A benchmark module exposes `run() -> list[Result]`; it measures its own raw baseline in the same
run, because these machines are noisy and only same-run ratios mean something.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback

import bench
from bench import profiling
from bench.result import Result


def _modules(selected: list[str]) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    return [n for n in names if not selected or any(s in n for s in selected)]


def _row(r: Result) -> str:
    ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
    base = f"{r.baseline_value:,.1f} {r.unit}" if r.baseline_value is not None else ""
    return f"| {r.figure} | {r.value:,.1f} {r.unit} | {r.baseline} {base} | {ratio} | {r.goal} |"


def main(argv: list[str]) -> int:
    modes = {flag: mode for flag, mode in (("--profile", profiling.PYINSTRUMENT), ("--spy", profiling.PYSPY))}
    if wanted := {modes[a] for a in argv if a in modes}:
        print(f"profiles: {profiling.enable(wanted)}", flush=True)
    rows: list[str] = []
    failed = 0
    for name in _modules([a for a in argv if a not in modes]):
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            if getattr(module, "PHASES", None):  # it marks what it measures
                results = module.run()
            else:
                with profiling.phase(name):
                    results = module.run()
        except Exception:
            traceback.print_exc()
            failed += 1
            continue
        rows += [_row(r) for r in results]
        print(f"   done in {time.perf_counter() - started:.0f}s", flush=True)
    print("\n| figure | value | same-run baseline | ratio | goal |\n|---|---|---|---|---|")
    print("\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
