"""The load of the chaos suite: clients each taking tasks through their life over HTTP — register,
report, revise, report, request completion, confirm — every command with its own Idempotency-Key and
retried until acknowledged. Some reports are given up after a failed try (a client that went away):
they must end up wholly stored or wholly absent, never half."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

UNITS = ("ql-kh", "ql-tdc", "tt-cgcn")
APPROVAL = {"approved_by": "Trần Ngọc Lâm, Giám đốc Sở", "document": "Số: 77/QĐ-SKHCN"}
RETRYABLE = {429, 500, 502, 503, 504}
OWN_UNITS = {"office": "vp", "board": "bgd"}  # the unit on the token of a role that is not a unit's


@dataclass(frozen=True)
class Command:
    key: str
    role: str
    path: str  # after /api/v1/tasks
    body: dict[str, Any]
    kind: str  # the event type it records
    mark: str  # the unique text it stores (the note, reason or title), to find its event


@dataclass
class Ledger:
    """What the clients saw: acknowledged commands, those given up after a failed try, and anything
    the service answered that no retry explains (a 4xx is a bug here: every command is valid)."""

    acked: dict[str, tuple[Command, str, int]] = field(default_factory=dict)  # key → (command, task, version)
    uncertain: dict[str, tuple[Command, str]] = field(default_factory=dict)  # key → (command, task)
    refused: list[str] = field(default_factory=list)
    failures: int = 0  # tries that got a 5xx or no answer
    tasks: list[str] = field(default_factory=list)


Tokens = Callable[[str, str], str]  # (role, unit) → bearer token


class Client:
    def __init__(self, base: str, tokens: Tokens, ledger: Ledger, rng: random.Random, give_up: float) -> None:
        self.base, self.tokens, self.ledger, self.rng, self.give_up = base, tokens, ledger, rng, give_up

    async def life(self, http: httpx.AsyncClient, name: str) -> None:
        """One task from registration to confirmed completion."""
        unit = self.rng.choice(UNITS)
        title = f"Nhiệm vụ hỗn loạn {name}"
        register = Command(f"{name}-register", "office", "", {
            "program_year": 2025, "ref": name, "unit": unit, "title": title, "target": "ít nhất 5 cuộc/năm",
            "deadline": "Quý IV/2025"}, "TaskRegistered", title)
        task = await self.send(http, register, unit, "")
        assert task is not None
        self.ledger.tasks.append(task)
        for step in range(1, 6):
            if step == 3:
                await self.send(http, Command(f"{name}-revise", "board", "/revisions", {
                    "new_target": "ít nhất 6 cuộc/năm", "reason": f"Điều chỉnh {name}", "approval": APPROVAL,
                    "effective_on": "2025-04-01"}, "TargetRevised", f"Điều chỉnh {name}"), unit, task)
            note = f"Báo cáo {name} lần {step}"
            report = Command(f"{name}-report-{step}", "unit_staff", "/progress-reports", {
                "as_of": "2025-03-31", "period": "2025-Q1", "achieved_value": step, "note": note,
                "evidence": [f"BC số {step}/{name}"]}, "ProgressReported", note)
            await self.send(http, report, unit, task, may_give_up=True)
        await self.send(http, Command(f"{name}-request", "unit_staff", "/completion-request", {
            "note": f"Đề nghị {name}"}, "CompletionRequested", f"Đề nghị {name}"), unit, task)
        await self.send(http, Command(f"{name}-confirm", "board", "/completion-confirmation", {
            "note": f"Xác nhận {name}"}, "CompletionConfirmed", f"Xác nhận {name}"), unit, task)

    async def send(self, http: httpx.AsyncClient, command: Command, unit: str, task: str, *,
                   may_give_up: bool = False) -> str | None:
        """Sends until acknowledged (returns the task id), or — for a command that may be given up —
        until the first failed try loses the coin toss (returns None)."""
        url = f"{self.base}/api/v1/tasks{'/' + task if task else ''}{command.path}"
        signer = unit if command.role == "unit_staff" else OWN_UNITS[command.role]
        headers = {"Authorization": f"Bearer {self.tokens(command.role, signer)}", "Idempotency-Key": command.key}
        delay = 0.05
        while True:
            try:
                response = await http.post(url, json=command.body, headers=headers)
            except httpx.HTTPError:
                response = None
            if response is not None and response.status_code in (200, 201):
                answer = response.json()
                self.ledger.acked[command.key] = (command, answer["task_id"], answer["version"])
                self.ledger.uncertain.pop(command.key, None)
                return str(answer["task_id"])
            if response is not None and response.status_code not in RETRYABLE:
                self.ledger.refused.append(f"{command.key}: {response.status_code} {response.text[:300]}")
                return None
            self.ledger.failures += 1
            if may_give_up and self.rng.random() < self.give_up:
                self.ledger.uncertain[command.key] = (command, task)
                return None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


async def run_clients(base: str, tokens: Tokens, ledger: Ledger, seed: int, clients: int,
                      keep_going: asyncio.Event, give_up: float = 0.3) -> None:
    """`clients` concurrent clients start task after task while `keep_going` is set."""
    counter = iter(range(1_000_000))

    async def one(number: int) -> None:
        client = Client(base, tokens, ledger, random.Random(seed * 1000 + number), give_up)
        async with httpx.AsyncClient(timeout=10) as http:
            while keep_going.is_set():
                await client.life(http, f"HL-{seed}-{next(counter):05d}")

    await asyncio.gather(*(one(n) for n in range(clients)))
