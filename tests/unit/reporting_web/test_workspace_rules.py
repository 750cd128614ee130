"""The workspace's rules without I/O: who may act (the one table, read by the commitments service
too), CSRF tokens bound to the session, the API's field names mapped onto the form's, and form
values turned into the API's bodies."""

from __future__ import annotations

import pytest

from commitments.application import commands as c
from commitments.application.permissions import _ACTION, _ALLOWED
from reporting.web.workspace.csrf import CsrfTokens
from reporting.web.workspace.fields import form_field
from reporting.web.workspace.office_specs import REGISTER
from reporting.web.workspace.specs import SPECS
from shared.auth.actions import ACTIONS, may_act
from shared.auth.tokens import Principal


def who(role: str, unit: str = "ql-cndmst") -> Principal:
    return Principal(user_id=f"{role}.1", name=role, unit=unit, roles=frozenset({role}))


# (action, role, role's unit, task's unit, lifecycle, may act)
CASES = [
    ("report_progress", "unit_staff", "ql-cndmst", "ql-cndmst", "active", True),
    ("report_progress", "unit_staff", "ql-cndmst", "vp", "active", False),  # another unit's task
    ("report_progress", "unit_head", "ql-cndmst", "ql-cndmst", "awaiting_confirmation", True),
    ("report_progress", "unit_staff", "ql-cndmst", "ql-cndmst", "completed", False),
    ("report_progress", "board", "bgd", "ql-cndmst", "active", False),
    ("report_progress", "inspector", "thanh-tra", "ql-cndmst", "active", False),
    ("request_completion", "unit_staff", "ql-cndmst", "ql-cndmst", "active", True),
    ("request_completion", "unit_staff", "ql-cndmst", "ql-cndmst", "awaiting_confirmation", False),
    ("propose_revision", "unit_head", "ql-cndmst", "ql-cndmst", "active", True),
    ("propose_revision", "unit_staff", "ql-cndmst", "ql-cndmst", "active", False),  # only the head proposes
    ("confirm_completion", "board", "bgd", "ql-cndmst", "awaiting_confirmation", True),
    ("confirm_completion", "board", "bgd", "ql-cndmst", "active", False),
    ("confirm_completion", "unit_head", "ql-cndmst", "ql-cndmst", "awaiting_confirmation", False),
    ("resume", "board", "bgd", "ql-cndmst", "suspended", True),
    ("resume", "board", "bgd", "ql-cndmst", "active", False),
    ("suspend", "board", "bgd", "ql-cndmst", "active", True),
    ("cancel", "board", "bgd", "ql-cndmst", "completed", False),
    ("revise", "board", "bgd", "ql-cndmst", "active", True),
    ("approve_revision", "board", "bgd", "ql-cndmst", "active", True),
    ("register", "office", "vp", None, None, True),
    ("register", "board", "bgd", None, None, False),
    ("reassign_unit", "office", "vp", None, None, True),
    ("reassign_unit", "unit_head", "ql-cndmst", None, None, False),
]


@pytest.mark.parametrize(("action", "role", "unit", "task_unit", "lifecycle", "expected"), CASES)
def test_who_may_act(action: str, role: str, unit: str, task_unit: str | None, lifecycle: str | None,
                     expected: bool) -> None:
    assert may_act(who(role, unit), action, task_unit, lifecycle) is expected


def test_the_commitments_service_enforces_the_same_table() -> None:
    commands = {cls for cls in vars(c).values() if isinstance(cls, type) and issubclass(cls, c.Command)
                and cls is not c.Command}
    assert set(_ACTION) == commands  # every command has its action in the shared table
    for command, action in _ACTION.items():
        assert tuple(r.value for r in _ALLOWED[command]) == ACTIONS[action].roles
    assert set(SPECS) | {"register", "preview", "reassign", "reassign_unit", "import_program"} == set(ACTIONS)


def test_csrf_token_is_bound_to_its_session() -> None:
    tokens = CsrfTokens(b"k" * 32)
    token = tokens.issue("session-a")
    assert tokens.valid("session-a", token)
    assert not tokens.valid("session-b", token)  # another user's session
    assert not tokens.valid("session-a", token[:-1] + ("0" if token[-1] != "0" else "1"))  # tampered
    assert not tokens.valid("session-a", None) and not tokens.valid(None, token) and not tokens.valid("s", "x")
    assert not CsrfTokens(b"other" * 8).valid("session-a", token)  # another server's secret


@pytest.mark.parametrize(("api", "form"), [
    ("approval.document", "document"), ("approval.approved_by", "approved_by"), ("body.note", "note"),
    ("evidence_files[2].sha256", "files"), ("evidence[0]", "files"), ("file", "files"),
    ("milestone_done", "achieved_value"), ("new_deadline", "new_deadline"), ("as_of", "as_of"),
    ("body.cooperating_units.0", "cooperating_units"),
])
def test_api_fields_land_next_to_the_form_fields(api: str, form: str) -> None:
    assert form_field(api) == form


def test_form_values_become_the_api_bodies() -> None:
    progress = SPECS["report_progress"].body({"as_of": "2025-06-30", "period": "2025-06", "achieved_value": "3,5",
                                              "note": ""})
    assert progress == {"as_of": "2025-06-30", "period": "2025-06", "note": "", "achieved_value": 3.5}
    milestone = SPECS["report_progress"].body({"as_of": "2025-06-30", "period": "2025", "milestone_done": "done"})
    assert milestone["milestone_done"] is True and "achieved_value" not in milestone
    not_a_number = SPECS["report_progress"].body({"period": "2025", "achieved_value": "bốn"})
    assert not_a_number["achieved_value"] == "bốn" and not_a_number["as_of"] is None  # the API names them
    approval = SPECS["approve_revision"].body({"approved_by": "Trần Ngọc Lâm", "document": "Số: 1/QĐ",
                                               "effective_on": "2025-07-01"})
    assert approval == {"approval": {"approved_by": "Trần Ngọc Lâm", "document": "Số: 1/QĐ", "signed_on": None},
                        "effective_on": "2025-07-01"}
    task = REGISTER.body({"program_year": "2025", "unit": "vp", "title": "Tập huấn", "target": "01 - 02 lớp",
                          "deadline": "Quý III/2025", "cooperating_units": "sttt, ql-cndmst", "legal_basis": ""})
    assert task["program_year"] == 2025 and task["cooperating_units"] == ["sttt", "ql-cndmst"]
    assert "ref" not in task and task["legal_basis"] == []
