"""The workspace's pages over real read models, without a browser: which forms each role is offered
(the shared action table), the read-your-writes wait and its bound, and the refusals the web layer
makes before anything reaches the commitments service (no CSRF token, a role that may not act, a
body it will not read). The writes themselves, over the real processes: tests/e2e/test_workspace*.py."""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.integration.reporting_web.conftest import Headers
from tests.unit.reporting_web.scenario import TASK_IDS

BLUE = TASK_IDS["QL-CNDMST-01"]  # ql-cndmst, active
FIELD = re.compile(r'<(?:input|select|textarea) (?:type="(?!hidden)[a-z]+" )?(?:inputmode="[a-z]+" )?id="([^"]+)"')
BUTTONS = re.compile(r'<button type="submit" name="intent" value="save">([^<]+)</button>')


@pytest.fixture
def short_wait(client: TestClient) -> Iterator[None]:
    container = client.app.state.container  # type: ignore[attr-defined]
    before = container.settings
    container.settings = before.model_copy(update={"read_your_writes_seconds": 0.3})
    yield
    container.settings = before


@pytest.mark.parametrize(("role", "unit", "buttons"), [
    ("unit_staff", "ql-cndmst", ["Gửi báo cáo tiến độ", "Gửi đề nghị xác nhận hoàn thành"]),
    ("unit_staff", "ql-kh", []),  # another unit's task
    ("inspector", "thanh-tra", []),
    ("office", "vp", []),
    ("board", "bgd", ["Ghi nhận điều chỉnh", "Tạm hoãn nhiệm vụ", "Hủy nhiệm vụ"]),
])
def test_forms_are_offered_exactly_where_the_role_may_act(client: TestClient, signed_in: Headers, role: str,
                                                          unit: str, buttons: list[str]) -> None:
    page = client.get(f"/tasks/{BLUE}", headers=signed_in(role, unit))
    assert page.status_code == 200
    assert BUTTONS.findall(page.text) == buttons
    fields = FIELD.findall(page.text)
    assert bool(fields) == bool(buttons)
    for field_id in fields:
        assert f'<label for="{field_id}">' in page.text, field_id


def test_the_page_after_a_command_waits_then_says_it_is_updating(client: TestClient, signed_in: Headers,
                                                                  short_wait: None) -> None:
    staff = signed_in("unit_staff", "ql-cndmst")
    caught_up = client.get(f"/tasks/{BLUE}?v=1", headers=staff)
    assert caught_up.status_code == 200 and "Đang cập nhật" not in caught_up.text
    behind = client.get(f"/tasks/{BLUE}?v=999", headers=staff)  # a version the read model has not reached
    assert behind.status_code == 200 and "Đang cập nhật…" in behind.text
    assert '<meta http-equiv="refresh" content="2">' in behind.text  # and asks again by itself
    assert '<meta http-equiv="refresh"' not in caught_up.text
    unknown = uuid.uuid4()
    just_registered = client.get(f"/tasks/{unknown}?v=1", headers=staff)
    assert just_registered.status_code == 202 and "Đang cập nhật…" in just_registered.text
    assert f'url=/tasks/{unknown}?v=1' in just_registered.text  # refreshes itself, no script needed
    assert client.get(f"/tasks/{unknown}", headers=staff).status_code == 404


def test_the_web_layer_refuses_before_anything_is_sent(client: TestClient, signed_in: Headers) -> None:
    staff, board = signed_in("unit_staff", "ql-cndmst"), signed_in("board", "bgd")
    action = f"/workspace/tasks/{BLUE}/report_progress"
    form = {"as_of": "2025-06-30", "period": "2025-06", "achieved_value": "4", "version": "1",
            "idempotency_key": "k-1"}
    no_token = client.post(action, data=form, headers=staff)
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    board_page = client.get(f"/tasks/{BLUE}", headers=board).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', board_page)
    assert csrf is not None
    as_board = client.post(action, data=form | {"csrf_token": csrf[1]}, headers=board)
    assert as_board.status_code == 403 and "không được thực hiện" in as_board.text
    stolen = client.post(action, data=form | {"csrf_token": csrf[1]}, headers=staff)  # another session's token
    assert stolen.status_code == 403 and "CSRF" in stolen.text
    json_body = client.post(action, json=form, headers=staff)
    assert json_body.status_code == 415
    huge = client.post(action, content=b"x", headers=staff | {"Content-Type": "application/x-www-form-urlencoded",
                                                               "Content-Length": str(10**12)})
    assert huge.status_code == 413
    assert client.post(action, data=form).status_code == 303  # not signed in: to the sign-in page


@pytest.fixture
def commitments_away(client: TestClient) -> Iterator[None]:
    """The commitments URL at a port bound but not listening: every connection is refused."""
    container = client.app.state.container  # type: ignore[attr-defined]
    before = container.settings
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{held.getsockname()[1]}"
        container.settings = before.model_copy(update={"commitments_url": url})
        yield
    container.settings = before


def test_a_form_sent_while_the_commitments_service_is_away_says_so(client: TestClient, signed_in: Headers,
                                                                   commitments_away: None) -> None:
    """A page, never a 500; and a forged "uploaded" citation is dropped, never rendered back."""
    staff = signed_in("unit_staff", "ql-cndmst")
    page = client.get(f"/tasks/{BLUE}", headers=staff).text
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">',
                             page.split('id="form-report_progress"')[1].split("</form>")[0]))
    form = hidden | {"as_of": "2025-06-30", "period": "2025-06", "achieved_value": "4",
                     "uploaded": "<script>alert(1)</script>"}
    away = client.post(f"/workspace/tasks/{BLUE}/report_progress", data=form, headers=staff)
    assert away.status_code == 503 and "gửi lại biểu mẫu" in away.text
    assert "<script>alert(1)</script>" not in away.text
