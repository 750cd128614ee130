"""The commitments service as a process over HTTP: a task's life, and a crash in the middle of a load."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.support import ServiceProcess, token
from tests.faults import FaultPoint

TASK = {"program_year": 2025, "ref": "QL-KH-99", "unit": "ql-kh", "title": "Tổ chức 4 – 5 cuộc hội thảo",
        "target": "4 – 5 cuộc/năm", "deadline": "từ năm 2025"}


def _auth(state_dir: Path, role: str, unit: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(state_dir, role, unit)}"}


def test_register_revise_report_and_read_history_over_http(commitments: ServiceProcess, state_dir: Path) -> None:
    api = f"{commitments.url}/api/v1/tasks"
    created = httpx.post(api, json=TASK, headers=_auth(state_dir, "office", "vp"))
    assert created.status_code == 201, created.text
    task = created.json()["task_id"]
    report = {"as_of": "2025-03-31", "period": "2025-Q1", "achieved_value": 1, "evidence": ["BC số 3/BC-QLKH"]}
    refused = httpx.post(f"{api}/{task}/progress-reports", json=report | {"note": "bad\u0000note"},
                         headers=_auth(state_dir, "unit_staff", "ql-kh"))  # issue 9: a NUL was accepted
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "note", refused.text
    reported = httpx.post(f"{api}/{task}/progress-reports", json=report,
                          headers=_auth(state_dir, "unit_staff", "ql-kh") | {"If-Match": '"1"'})
    assert reported.status_code == 200 and reported.headers["etag"] == '"2"'
    revision = {"new_target": "ít nhất 6 cuộc/năm", "reason": "Bổ sung hội thảo về Nghị quyết 57",
                "approval": {"approved_by": "Trần Ngọc Lâm", "document": "Số: 77/QĐ-SKHCN"},
                "effective_on": "2025-04-01"}
    revised = httpx.post(f"{api}/{task}/revisions", json=revision,
                         headers=_auth(state_dir, "board", "bgd") | {"If-Match": '"2"'})
    assert revised.status_code == 200, revised.text
    history = httpx.get(f"{commitments.url}/api/v1/audit/tasks/{task}/history",
                        headers=_auth(state_dir, "inspector", "thanh-tra")).json()
    events = [e["event"] for e in history["entries"]]
    assert [(e["type"], e["task_version"], e["actor"]["role"]) for e in events] == [
        ("TaskRegistered", 1, "office"), ("ProgressReported", 2, "unit_staff"), ("TargetRevised", 3, "board")]
    assert events[2]["approval"]["document"] == "Số: 77/QĐ-SKHCN"
    current = httpx.get(f"{api}/{task}", headers=_auth(state_dir, "board", "bgd")).json()
    assert (current["target"]["minimum"], current["target"]["per"], current["version"]) == (6, "năm", 3)


async def _send_all(api: str, headers: dict[str, str], commands: list[tuple[str, dict[str, Any]]],
                    answered: dict[str, int]) -> None:
    """Sends each command (keyed) until it is answered; a dead server only makes it retry later."""
    async with httpx.AsyncClient(timeout=5) as client:
        semaphore = asyncio.Semaphore(8)

        async def send(key: str, body: dict[str, Any]) -> None:
            async with semaphore:
                try:
                    response = await client.post(api, json=body, headers=headers | {"Idempotency-Key": key})
                except httpx.HTTPError:
                    return
                if response.status_code == 200:
                    answered[key] = response.json()["version"]
                else:
                    assert response.status_code == 503, response.text  # only "store unavailable, retry"

        await asyncio.gather(*(send(k, b) for k, b in commands if k not in answered))


def test_a_crash_in_the_middle_of_a_load_loses_and_doubles_nothing(commitments: ServiceProcess,
                                                                   state_dir: Path) -> None:
    created = httpx.post(f"{commitments.url}/api/v1/tasks", json=TASK, headers=_auth(state_dir, "office", "vp"))
    task = created.json()["task_id"]
    api = f"{commitments.url}/api/v1/tasks/{task}/progress-reports"
    headers = _auth(state_dir, "unit_staff", "ql-kh")
    commands = [(f"bc-{n}", {"as_of": "2025-03-31", "period": "2025-Q1", "achieved_value": 1,
                            "note": f"lần {n}"}) for n in range(400)]
    answered: dict[str, int] = {}
    # The writer pauses after each group commit, before answering it (shared/faults.py): the test lets
    # it go on until 100 commands are answered, then kills it there, a commit stored and unanswered.
    fault = FaultPoint(state_dir / "faults", "commands", every=1)
    plain = commitments.env
    commitments.kill()
    commitments.env = plain | fault.env()
    commitments.start()

    async def crash_midway() -> None:
        load = asyncio.create_task(_send_all(api, headers, commands, answered))
        done = await fault.paused()
        while len(answered) < 100:
            fault.go_on()
            done = await fault.paused(after=done)
        commitments.kill()
        await load

    asyncio.run(crash_midway())
    assert 100 <= len(answered) < len(commands)
    fault.clear()
    commitments.env = plain
    commitments.start()
    asyncio.run(_send_all(api, headers, commands, answered))  # the clients retry what went unanswered

    history = [e["event"] for e in httpx.get(f"{commitments.url}/api/v1/audit/tasks/{task}/history",
                                             params={"limit": 1000},
                                             headers=_auth(state_dir, "inspector", "thanh-tra")).json()["entries"]]
    notes = [e["note"] for e in history if e["type"] == "ProgressReported"]
    assert sorted(notes) == sorted(body["note"] for _, body in commands)  # each exactly once
    assert sorted(answered.values()) == list(range(2, 2 + len(commands)))
