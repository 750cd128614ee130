"""Deliveries to real receivers: a webhook that fails its first attempts (retried with backoff,
delivered once, signature verifiable), dead letters, and e-mail through a real SMTP server with
the Vietnamese text intact — the alert, and the weekly briefing for the Office and the Board."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, time, timedelta
from uuid import uuid4

from nats.aio.client import Client

from notifications.bootstrap import Container, build
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from notifications.domain.subscriptions import Channel, Subscription
from notifications.integration.contract import AlertV1
from notifications.integration.runtime import Runtime
from notifications.integration.webhook import verify
from shared.vn import local_instant
from tests.integration.notifications.conftest import OFFICE, alert_rows, eventually, project, publish
from tests.integration.notifications.receivers import smtp_server, webhook_receiver
from tests.unit.notifications.builders import DUE, REGISTERED, Story, days

SECRET = "khóa-bí-mật-của-cổng-tỉnh-0123456789"


def subscription(name: str, channel: Channel, address: str, **filters: tuple[str, ...]) -> Subscription:
    return Subscription(id=uuid4(), name=name, channel=channel, address=address, **filters)


async def deliver_all(container: Container, clock: ManualClock, rounds: int = 10) -> None:
    """Runs the worker, moving the clock past each backoff, until nothing is due any more."""
    for _ in range(rounds):
        await container.deliveries.run_once()
        clock.advance(timedelta(seconds=5))


async def test_a_failing_webhook_is_retried_and_gets_the_alert_once_signed(container: Container,
                                                                          clock: ManualClock) -> None:
    with webhook_receiver(failures=2) as receiver:
        await container.admin.save(OFFICE, subscription("Cổng tỉnh", Channel.WEBHOOK, receiver.url(),
                                                        roles=("board",)), SECRET, replacing=False)
        story = Story()
        clock.set(REGISTERED + days(1))
        await project(container, [story.registered(), story.revised(REGISTERED + days(1), new_minimum=8)])
        await deliver_all(container, clock)
    (alert_row,) = await alert_rows(container)
    assert [r.status for r in receiver.requests] == [500, 500, 200]
    (ok,) = receiver.answered(200)
    assert {r.body for r in receiver.requests} == {ok.body}  # the same signed body each time
    signed = "\n".join(["camket-webhook/2", ok.headers["X-Camket-Timestamp"], ok.headers["X-Camket-Delivery"],
                        ok.headers["ce-type"], ok.headers["ce-id"], ""]).encode() + ok.body
    expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert ok.headers["X-Camket-Signature"] == f"v2={expected}"
    assert verify(SECRET, ok.headers, ok.body)
    alert = AlertV1.model_validate_json(ok.body)
    assert (ok.headers["ce-id"], ok.headers["ce-type"]) == (str(alert_row["id"]), "vn.camket.alert.target_lowered.v1")
    assert alert.message == alert_row["message"] and "xuống “ít nhất 8 doanh nghiệp”" in alert.message
    (delivery,) = await container.admin.deliveries("delivered", alert_row["id"], 10)
    assert delivery["attempts"] == 3


async def test_after_the_last_attempt_a_delivery_is_a_dead_letter_and_can_be_put_back(
        container: Container, clock: ManualClock) -> None:
    with webhook_receiver(failures=100) as receiver:
        await container.admin.save(OFFICE, subscription("Hỏng", Channel.WEBHOOK, receiver.url("/down")), SECRET,
                                   replacing=False)
        story = Story()
        await project(container, [story.registered(), story.cancelled(REGISTERED + days(1))])
        await deliver_all(container, clock)
        assert len(receiver.requests) == 4  # settings: delivery_max_attempts=4
        (dead,) = await container.admin.deliveries("dead", None, 10)
        assert dead["attempts"] == 4 and dead["last_error"] == "HTTP 500: máy nhận báo lỗi"
        assert len(await alert_rows(container)) == 1  # the alert itself stays, whatever its deliveries do
        receiver.failures = 0
        assert await container.admin.retry([dead["id"]]) == 1
        await deliver_all(container, clock, rounds=2)
    assert receiver.requests[-1].status == 200
    assert (await container.admin.deliveries("delivered", None, 10))[0]["id"] == dead["id"]


async def test_a_hanging_webhook_does_not_hold_up_the_consumer(settings: NotificationsSettings, clock: ManualClock,
                                                                nc: Client) -> None:
    slow = build(settings.model_copy(update={"webhook_timeout_seconds": 30.0}), clock=clock)
    await slow.open()
    runtime = Runtime(slow)
    try:
        with webhook_receiver(failures=0, hang=4.0) as receiver:
            await slow.admin.save(OFFICE, subscription("Chậm", Channel.WEBHOOK, receiver.url()), SECRET,
                                  replacing=False)
            await runtime.start()
            first, second = Story(ref="A-1"), Story(ref="A-2")
            await publish(nc.jetstream(), settings.subject_prefix, [first.registered(), first.cancelled(REGISTERED)])
            await eventually(lambda: alert_rows(slow))
            await publish(nc.jetstream(), settings.subject_prefix, [second.registered(), second.cancelled(REGISTERED)])
            rows = await eventually(lambda: _two(slow), timeout=3.0)  # while the first delivery still hangs
            assert not receiver.requests and len(rows) == 2
    finally:
        await runtime.stop(grace=1.0)
        await slow.close()


async def _two(container: Container) -> list[dict[str, object]]:
    rows = await alert_rows(container)
    return rows if len(rows) == 2 else []


async def test_email_reaches_a_real_smtp_server_with_the_vietnamese_text_intact(
        settings: NotificationsSettings, clock: ManualClock) -> None:
    with smtp_server() as (port, mailbox):
        mailer = build(settings.model_copy(update={"smtp_port": port, "smtp_sender": "Cam kết <camket@skhcn.vn>"}),
                       clock=clock)
        await mailer.open()
        try:
            await mailer.admin.save(OFFICE, subscription("Văn phòng", Channel.EMAIL, "vanphong@skhcn.quangtri.gov.vn",
                                                         roles=("office",), rules=("overdue", "digest")), None,
                                    replacing=False)
            await mailer.admin.save(OFFICE, subscription("Ban Giám đốc", Channel.EMAIL, "bgd@skhcn.quangtri.gov.vn",
                                                         roles=("board",), rules=("digest",)), None, replacing=False)
            await project(mailer, [Story(ref="QLCN-02").registered()])
            clock.set(DUE + days(1))
            (overdue,) = [a for a in await mailer.scheduler.tick() if a.rule == "overdue"]
            await deliver_all(mailer, clock, rounds=1)
            clock.set(local_instant(date(2025, 7, 7), time(7)))  # Monday 07:00 in Vietnam
            (weekly, monthly) = await mailer.briefings.send_due()
            await deliver_all(mailer, clock, rounds=1)
        finally:
            await mailer.close()
    (to, alert_mail), *briefings = mailbox.messages
    assert to == ["vanphong@skhcn.quangtri.gov.vn"]
    assert alert_mail["Subject"] == "[Sở KH&CN Quảng Trị] Khẩn: Quá hạn — nhiệm vụ QLCN-02"
    assert alert_mail["From"] == "Cam kết <camket@skhcn.vn>"
    text = alert_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert overdue.message in text and "Đơn vị chủ trì: Phòng Quản lý CN&ĐMST" in text
    assert sorted((tuple(rcpt), m["Subject"]) for rcpt, m in briefings) == sorted(
        (tuple([box]), subject) for box in ("vanphong@skhcn.quangtri.gov.vn", "bgd@skhcn.quangtri.gov.vn")
        for subject in (weekly.subject, monthly.subject))
    assert weekly.subject == "[Sở KH&CN Quảng Trị] Trực báo tuần từ 30/06/2025 đến 06/07/2025"
    weekly_text = next(m for _, m in briefings if m["Subject"] == weekly.subject).get_body(("plain",))
    assert weekly_text is not None and "Đang quá hạn: 1\n  - Nhiệm vụ QLCN-02" in weekly_text.get_content()
