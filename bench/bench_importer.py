"""`python -m bench importer`: how much of a hand-made program the notice importer finds on its own.

The 2025 notice against the shipped `program-2025.yaml`, and the other public notices saved under
`tests/data/notices/` against the tasks written by hand beside them (`*.expected.yaml`). Prints the
match rate of targets and deadlines (kind, numbers, deadline text) and lists every miss.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bench.result import Result
from commitments.importer import import_file
from commitments.importer.agreement import Agreement, agreement

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "tests" / "data" / "notices"
CASES = [(NOTICES / "qt-skhcn-2025.txt", ROOT / "services" / "commitments" / "seed" / "program-2025.yaml")] + [
    (p.with_name(p.name.replace(".expected.yaml", ".txt")), p) for p in sorted(NOTICES.glob("*.expected.yaml"))]


def measure(notice: Path, expected: Path) -> Agreement:
    program = yaml.safe_load(expected.read_text(encoding="utf-8"))
    return agreement(import_file(notice, int(program.get("program", {}).get("year", 2025))), program)


def run() -> list[Result]:
    results = []
    for notice, expected in CASES:
        a = measure(notice, expected)
        print(f"   {notice.name}: bullets found {a.found}/{a.tasks}; targets and deadlines matched "
              f"{a.matched}/{a.checked} = {a.rate:.1%}; extra {len(a.extras)}")
        for line in a.misses + tuple(f"extra — {e}" for e in a.extras):
            print(f"     miss: {line}" if not line.startswith("extra") else f"     {line}")
        shipped = notice.stem == "qt-skhcn-2025"
        results.append(Result(figure=f"importer: targets and deadlines matched ({notice.stem})",
                              value=100 * a.rate, unit="%", goal="≥ 95%" if shipped else "reported"))
        results.append(Result(figure=f"importer: bullets found ({notice.stem})", value=100 * a.found / a.tasks,
                              unit="%", goal="100%" if shipped else "reported"))
        results.append(Result(figure=f"importer: targets or deadlines not in the program ({notice.stem})",
                              value=len(a.extras), unit="", higher_is_better=False, goal="reported"))
    return results
