"""The shipped 2025 program as an official of the Department reads the notice (seed README): the
closing procedure is not a task, a period of projects is not a deadline, §7.2's cooperation is
recorded, and each legal document has one identifier while the text keeps the spelling as written."""

from __future__ import annotations

import re
from typing import Any

import pytest

from commitments.seed.loader import commands_of, default_program, read_program

NQ57, NQ03 = "Nghị quyết số 57-NQ/TW", "Nghị quyết số 03/NQ-CP"
CITING = {NQ57: 19, NQ03: 5}
SPELLINGS = {NQ57: re.compile(r"57-NQ/TW|Nghị quyết 57\b"), NQ03: re.compile(r"03/NQ-CP|Nghị quyết 03\b")}


@pytest.fixture(scope="module")
def program() -> dict[str, Any]:
    return read_program(default_program())


def test_the_closing_procedure_is_kept_apart_and_not_loaded(program: dict[str, Any]) -> None:
    refs = [ref for ref, _, _ in commands_of(program, "qt-skhcn")]
    assert len(refs) == 50 and "VP-07" not in refs
    assert program["procedure"]["ref"] == "VP-07" and "15h00 ngày 24/12/2025" in program["procedure"]["title"]


def test_a_period_of_projects_is_no_deadline_and_the_cooperation_of_7_2_is_recorded(program: dict[str, Any]) -> None:
    commands = {ref: command for ref, command, _ in commands_of(program, "qt-skhcn")}
    kh_tc_03 = commands["KH-TC-03"]
    assert kh_tc_03.deadline.kind.value == "none" and "giai đoạn 2026 - 2030" in kh_tc_03.title
    assert kh_tc_03.deadline.effective_end(2025).isoformat() == "2025-12-31T16:59:59+00:00"
    assert commands["QL-TDC-04"].cooperating_units == ("tt-kt-tdc",)


@pytest.mark.parametrize("document", [NQ57, NQ03])
def test_one_identifier_per_document_so_a_filter_finds_every_task(program: dict[str, Any], document: str) -> None:
    spelled = SPELLINGS[document]
    cited = [b for t in program["tasks"] for b in t["legal_basis"] if spelled.search(b)]
    assert set(cited) == {document}  # every citation of the document uses the one identifier
    found = {t["ref"] for t in program["tasks"] if document in t["legal_basis"]}
    assert len(found) == CITING[document]
    assert all(spelled.search(t["title"] + t.get("description", "")) for t in program["tasks"] if t["ref"] in found)
    written = {m for t in program["tasks"] for m in spelled.findall(t["title"] + t.get("description", ""))}
    assert len(written) >= 2  # the text keeps the spellings as written
