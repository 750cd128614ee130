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
    extras: tuple[str, ...] = ()  # targets and deadlines the draft has and the hand-made program does not

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


def paired_tasks(task: dict[str, Any], draft: Draft) -> list[DraftTask]:
    head = _key(task["title"])[:60]
    return [d for d in draft.tasks if d.unit == task["unit"] and head in _key(d.source.text)]


def agreement(draft: Draft, program: dict[str, Any]) -> Agreement:
    found = checked = matched = 0
    misses: list[str] = []
    for task in program["tasks"]:
        candidates = paired_tasks(task, draft)
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
    return Agreement(len(program["tasks"]), found, checked, matched, tuple(misses), tuple(_extras(draft, program)))


def _extras(draft: Draft, program: dict[str, Any]) -> list[str]:
    targets = {(t["unit"], *_numbers(t["target"])) for t in program["tasks"] if t.get("target")}
    deadlines = {(t["unit"], _key(t["deadline"])) for t in program["tasks"] if t.get("deadline")}
    extras = []
    for d in draft.tasks:
        if d.target.minimum is not None and (d.unit, d.target.kind, d.target.minimum, d.target.maximum) not in targets:
            extras.append(f"{d.unit}: target {d.target.text!r} is not in the program ({d.title[:60]}…)")
        if d.deadline.text and (d.unit, _key(d.deadline.text)) not in deadlines:
            extras.append(f"{d.unit}: deadline {d.deadline.text!r} is not in the program ({d.title[:60]}…)")
    return extras


def _numbers(wording: str) -> tuple[str, float | None, float | None]:
    t = parse_target(wording)
    return t.kind.value, t.minimum, t.maximum
