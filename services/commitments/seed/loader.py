"""Loads the program file (program-2025.yaml) through the application, idempotently.

Each task is one RegisterTask command with a command id derived from its reference, so loading the
file twice registers nothing new; an entry edited after it was loaded is reported, not re-registered
(changes to a registered task are revisions, approved by the Board).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from commitments.api.translate import deadline_of, target_of, task_id_for
from commitments.application.batching import CommandBatcher
from commitments.application.commands import RegisterTask
from commitments.application.outcomes import IdempotencyMismatch, Submission, fingerprint
from shared.auth.tokens import Principal

SEED_PRINCIPAL = Principal(user_id="system:seed", name="Nạp Chương trình công tác (camket seed)", unit="vp",
                           roles=frozenset({"office"}))


@dataclass(frozen=True)
class SeedReport:
    registered: list[str]
    unchanged: list[str]
    conflicting: list[str]  # edited in the file after being loaded
    failed: dict[str, str]


def default_program() -> Path:
    return Path(str(resources.files("commitments.seed").joinpath("program-2025.yaml")))


def read_program(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def commands_of(program: dict[str, Any], org: str) -> list[tuple[str, RegisterTask, dict[str, Any]]]:
    year = int(program["program"]["year"])
    out = []
    for entry in program["tasks"]:
        ref = entry["ref"]
        command = RegisterTask(
            task_id=task_id_for(org, year, ref), expected_version=None, org=org, program_year=year, ref=ref,
            unit=entry["unit"], title=entry["title"], description=entry.get("description", ""),
            target=target_of(entry.get("target"), entry.get("milestone"), "target"),
            deadline=deadline_of(entry.get("deadline")),
            cooperating_units=tuple(entry.get("cooperating_units", [])),
            legal_basis=tuple(entry.get("legal_basis", [])))
        out.append((ref, command, entry))
    return out


def load(batcher: CommandBatcher, org: str, path: Path | None = None) -> SeedReport:
    program = read_program(path or default_program())
    year = program["program"]["year"]
    subs = [(ref, Submission(command=cmd, principal=SEED_PRINCIPAL, command_id=f"seed:{org}:{year}:{ref}",
                             fingerprint=fingerprint(entry)))
            for ref, cmd, entry in commands_of(program, org)]
    batcher.execute([s for _, s in subs])
    report = SeedReport([], [], [], {})
    for ref, sub in subs:
        error = sub.future.exception()
        if isinstance(error, IdempotencyMismatch):
            report.conflicting.append(ref)
        elif error is not None:
            report.failed[ref] = str(error)
        elif sub.future.result().replayed:
            report.unchanged.append(ref)
        else:
            report.registered.append(ref)
    return report
