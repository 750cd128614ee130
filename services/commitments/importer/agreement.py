"""How far a draft agrees with a program transcribed by hand (the shipped `program-2025.yaml`).

Each hand-made task is paired with the draft task whose source holds the start of its title (titles
are verbatim pieces of the notice); a task found so is a bullet found. Its target agrees when the
kind and numbers are the same, its deadline when the text is the same (case aside). The benchmark
and the tests both measure with this, so the figure reported is the figure tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commitments.domain.targets import parse_target
from commitments.importer.draft import Draft, DraftTask
from commitments.importer.layout import plain


@dataclass(frozen=True)
class Agreement:
    tasks: int
    found: int
    checked: int  # targets and deadlines written in the hand-made program
    matched: int
    misses: tuple[str, ...]

    @property
    def rate(self) -> float:
        return self.matched / self.checked if self.checked else 1.0


def _key(text: str) -> str:
    return " ".join(plain(text).split()).casefold()


def _target_ok(task: dict[str, Any], draft: DraftTask) -> bool:
    want = parse_target(task["target"])
    return (draft.target.kind, draft.target.minimum, draft.target.maximum) == (want.kind.value, want.minimum,
                                                                               want.maximum)


def _deadline_ok(task: dict[str, Any], draft: DraftTask) -> bool:
    return _key(draft.deadline.text or "") == _key(task["deadline"])


def _candidates(task: dict[str, Any], draft: Draft) -> list[DraftTask]:
    head = _key(task["title"])[:60]
    return [d for d in draft.tasks if d.unit == task["unit"] and head in _key(d.source.text)]


def agreement(draft: Draft, program: dict[str, Any]) -> Agreement:
    found = checked = matched = 0
    misses: list[str] = []
    for task in program["tasks"]:
        candidates = _candidates(task, draft)
        if not candidates:
            misses.append(f"{task['ref']}: bullet not found")
        found += bool(candidates)
        for part, ok in (("target", _target_ok), ("deadline", _deadline_ok)):
            if task.get(part) is None:
                continue
            checked += 1
            if any(ok(task, d) for d in candidates):
                matched += 1
            else:
                got = [(d.target.kind, d.target.minimum, d.target.maximum, d.deadline.text) for d in candidates]
                misses.append(f"{task['ref']}: {part} {task[part]!r} not matched; draft has {got}")
    return Agreement(len(program["tasks"]), found, checked, matched, tuple(misses))
