"""Runs the simulated year into a sandbox store: the program is loaded as `camket seed` loads it,
then every step goes through the command batcher (the same authorization, rules and events as the
HTTP API) with the batcher's clock set to the step's instant."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from commitments.application import commands as c
from commitments.application.batching import CommandBatcher
from commitments.application.outcomes import Submission, fingerprint
from commitments.application.service import CommitmentsApp
from commitments.demo.pdf import one_page
from commitments.demo.year import Play, cast_profiles, plan
from commitments.domain.evidence import EvidenceFile
from commitments.evidence.service import EvidenceService
from commitments.seed.loader import commands_of, default_program, load, read_program
from shared.auth.tokens import Principal
from shared.vn import local_date, local_instant

DEFAULT_NOW = date(2025, 12, 19)  # late in the program's year: most work done, some still open
SANDBOX_PREFIX = "demo"  # the only schemas and subject prefixes the demo writes into


class NotASandbox(ValueError):
    """The demo writes only into a store whose schema says it is one, never into real data."""


@dataclass
class DemoReport:
    steps: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # the domain's refusals, by command
    reasons: list[str] = field(default_factory=list)  # each refusal's answer, as a user would get it

    @property
    def accepted(self) -> int:
        return self.steps - sum(self.refused.values())


class _Desk:
    def __init__(self, app: CommitmentsApp, evidence: EvidenceService, org: str, seed: int) -> None:
        self.instant = datetime(2025, 1, 1, tzinfo=UTC)
        self.batcher = CommandBatcher(app, clock=lambda: self.instant)
        self.files, self._org, self._seed, self._count = evidence, org, seed, 0
        self.report = DemoReport()

    @property
    def org(self) -> str:
        return self._org

    def today(self) -> date:
        return local_date(self.instant)

    def run(self, command: c.Command, who: Principal) -> bool:
        # The command id is the step's place in the seeded year: running the demo again records nothing twice.
        self._count += 1
        sub = Submission(command=command, principal=who, command_id=f"demo:{self._seed}:{self._count}",
                         fingerprint=fingerprint(repr(command)))
        self.batcher.execute([sub])
        self.report.steps += 1
        if (error := sub.future.exception()) is not None:
            name = type(command).__name__
            self.report.refused[name] = self.report.refused.get(name, 0) + 1
            self.report.reasons.append(f"{self.today().isoformat()} {name}: {error}")
            return False
        return True

    def evidence(self, name: str, text: str) -> EvidenceFile:
        return self.files.accept(name, io.BytesIO(one_page(text)))


def check_sandbox(schema: str) -> None:
    if not schema.startswith(SANDBOX_PREFIX):
        raise NotASandbox(f"the demo writes only into a schema named {SANDBOX_PREFIX}_*, not {schema!r}")


def play_year(app: CommitmentsApp, evidence: EvidenceService, org: str, *, seed: int,
              today: date = DEFAULT_NOW) -> DemoReport:
    rnd = random.Random(seed)
    desk = _Desk(app, evidence, org, seed)
    desk.instant = local_instant(date(2025, 1, 8), time(9, 0)).astimezone(UTC)  # the notice is loaded
    load(desk.batcher, org)
    program = read_program(default_program())
    plays = [Play(ref, command.task_id, command.unit, command.target,
                  local_date(command.deadline.ends_at) if command.deadline.ends_at else date(2025, 12, 31),
                  "") for ref, command, _ in commands_of(program, org)]
    cast_profiles(rnd, plays)
    for step in plan(rnd, plays, today):
        desk.instant = step.at
        step.act(desk)
    return desk.report

