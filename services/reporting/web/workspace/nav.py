"""The workspace's entries in the page header, for the roles that may use them."""

from __future__ import annotations

from shared.auth.actions import may_act
from shared.auth.tokens import Principal

ENTRIES = (("confirm_completion", "/approvals", "Chờ phê duyệt"), ("register", "/workspace/register", "Giao nhiệm vụ"),
           ("reassign_unit", "/workspace/reassign-unit", "Sáp nhập đơn vị"),
           ("import_program", "/workspace/program-import", "Nhập chương trình"))


def workspace_nav(principal: Principal) -> list[tuple[str, str]]:
    return [(href, label) for action, href, label in ENTRIES if may_act(principal, action)]
