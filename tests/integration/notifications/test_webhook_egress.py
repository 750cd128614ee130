"""Webhooks reach only the addresses the policy allows, checked on the address actually connected to;
a receiver's answer is never shown; secrets are sealed in the database.

The tests' receivers listen on 127.0.0.1, which the tests' settings allow (`webhook_allow_networks`);
here a container without that allowlist shows the same receiver is refused, by address and by name.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from psycopg import AsyncConnection

from notifications.application.subscription_admin import InvalidSubscription
from notifications.bootstrap import Container, build
from notifications.config import NotificationsSettings
from notifications.domain.clock import ManualClock
from notifications.domain.subscriptions import Channel
from notifications.integration.egress import AddressRefused, GuardedTransport, Resolve, webhook_client
from notifications.integration.egress_policy import IPAddress
from notifications.integration.webhook import verify
from tests.integration.notifications.conftest import OFFICE, project
from tests.integration.notifications.receivers import WebhookReceiver, webhook_receiver
from tests.integration.notifications.test_deliveries import SECRET, deliver_all, subscription
from tests.unit.notifications.builders import REGISTERED, Story, days

ERROR_PAGE = b"<h1>Internal</h1> db password: hunter2"


@pytest.fixture
async def strict(settings: NotificationsSettings, clock: ManualClock) -> AsyncIterator[Container]:
    """The service as deployed: no allowlist."""
    built = build(settings.model_copy(update={"webhook_allow_networks": ()}), clock=clock)
    await built.open()
    yield built
    await built.close()


async def one_alert(container: Container) -> None:
    story = Story()
    await project(container, [story.registered(), story.cancelled(REGISTERED + days(1))])


async def only_delivery(container: Container) -> dict[str, object]:
    (delivery,) = await container.admin.deliveries(None, None, 10)
    return delivery


async def test_a_loopback_url_is_refused_without_the_allowlist(strict: Container) -> None:
    with webhook_receiver(failures=0) as receiver:
        with pytest.raises(InvalidSubscription) as refused:
            await strict.admin.save(OFFICE, subscription("Máy này", Channel.WEBHOOK, receiver.url()), SECRET,
                                    replacing=False)
        assert refused.value.field == "address" and "loopback" in refused.value.message
        # A name is checked when the connection is made: `localhost` resolves to a loopback address.
        named = f"http://localhost:{receiver.port}/hook"
        await strict.admin.save(OFFICE, subscription("Tên", Channel.WEBHOOK, named), SECRET, replacing=False)
        await one_alert(strict)
        await strict.deliveries.run_once()
    assert receiver.requests == []
    delivery = await only_delivery(strict)
    assert str(delivery["last_error"]).startswith("địa chỉ bị chặn: địa chỉ loopback (chính máy chủ)")


async def test_the_same_receiver_is_reached_once_the_operator_allows_it(container: Container,
                                                                       clock: ManualClock) -> None:
    with webhook_receiver(failures=0) as receiver:
        await container.admin.save(OFFICE, subscription("Cho phép", Channel.WEBHOOK, receiver.url()), SECRET,
                                   replacing=False)
        await one_alert(container)
        await deliver_all(container, clock, rounds=1)
    (received,) = receiver.requests
    assert verify(SECRET, received.headers, received.body)


def pinned(answers: dict[str, list[str]], asked: list[str]) -> Resolve:
    """A resolver with fixed answers (the DNS of a name the test owns); it records each question."""
    async def resolve(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        return [ipaddress.ip_address(a) for a in answers[host]]
    return resolve


async def test_the_connection_goes_to_the_address_checked_never_to_a_second_lookup(
        settings: NotificationsSettings) -> None:
    asked: list[str] = []
    resolve = pinned({"hook.camket.test": ["127.0.0.1"], "mixed.camket.test": ["93.184.216.34", "10.9.9.9"],
                      "meta.camket.test": ["169.254.169.254"]}, asked)
    with webhook_receiver(failures=0) as receiver:
        async with webhook_client(settings.egress_policy, 5.0, resolve) as allowed:  # 127.0.0.1 allowed
            response = await allowed.post(f"http://hook.camket.test:{receiver.port}/hook", content=b"{}")
        assert response.status_code == 200 and asked == ["hook.camket.test"]  # one lookup, no other
        # The name exists only in this resolver: the request reached the receiver through the checked address,
        # with the URL's host in its Host header.
        assert receiver.requests[0].headers["Host"] == f"hook.camket.test:{receiver.port}"
        async with webhook_client(settings.egress_policy, 5.0, resolve) as client:
            for name, reason in (("mixed.camket.test", "địa chỉ mạng nội bộ"),  # one bad answer is enough
                                 ("meta.camket.test", "địa chỉ dịch vụ metadata của đám mây")):
                with pytest.raises(AddressRefused) as refused:
                    await client.post(f"http://{name}:{receiver.port}/hook", content=b"{}")
                assert (refused.value.host, refused.value.reason) == (name, reason)
        assert len(receiver.requests) == 1


async def test_a_receivers_answer_is_never_shown(container: Container, clock: ManualClock) -> None:
    with webhook_receiver(failures=100, body=ERROR_PAGE) as receiver:
        await container.admin.save(OFFICE, subscription("Lỗi", Channel.WEBHOOK, receiver.url()), SECRET,
                                   replacing=False)
        await one_alert(container)
        await container.deliveries.run_once()
    assert isinstance(receiver, WebhookReceiver) and receiver.requests[0].status == 500
    delivery = await only_delivery(container)
    assert delivery["last_error"] == "HTTP 500: máy nhận báo lỗi"
    assert b"hunter2" not in repr(await container.admin.deliveries(None, None, 10)).encode()


async def stored_secret(container: Container, subscription_id: UUID) -> str:
    async with container.db.transaction() as conn:
        cur = await conn.execute("SELECT secret FROM subscriptions WHERE id = %s", (subscription_id,))
        row = await cur.fetchone()
    assert row is not None
    return str(row[0])


async def test_secrets_are_sealed_at_rest_and_old_clear_ones_are_sealed_at_start(
        container: Container, settings: NotificationsSettings, clock: ManualClock) -> None:
    with webhook_receiver(failures=0) as receiver:
        sub = subscription("Bí mật", Channel.WEBHOOK, receiver.url())
        await container.admin.save(OFFICE, sub, SECRET, replacing=False)
        sealed = await stored_secret(container, sub.id)
        assert sealed.startswith("aesgcm1:") and SECRET not in sealed
        async with container.db.transaction() as conn:  # as a version before encryption stored it
            await _store_clear(conn, sub.id, SECRET)
        restarted = build(settings, clock=clock)
        await restarted.open()
        try:
            assert (await stored_secret(restarted, sub.id)).startswith("aesgcm1:")
            await one_alert(restarted)
            await deliver_all(restarted, clock, rounds=1)
        finally:
            await restarted.close()
    (received,) = receiver.requests
    assert verify(SECRET, received.headers, received.body)  # signed with the secret the receiver knows


async def _store_clear(conn: AsyncConnection[object], subscription_id: UUID, secret: str) -> None:
    await conn.execute("UPDATE subscriptions SET secret = %s WHERE id = %s", (secret, subscription_id))


def tls_receiver_context(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for `name` only: (the server's context, a client context trusting it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "receiver.crt", tmp_path / "receiver.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_path, key_path)
    return server, ssl.create_default_context(cafile=str(cert_path))


async def test_tls_checks_the_certificate_against_the_urls_name_while_connecting_to_the_checked_address(
        settings: NotificationsSettings, tmp_path: Path) -> None:
    server_context, trusting = tls_receiver_context(tmp_path, "hook.camket.test")
    resolve = pinned({"hook.camket.test": ["127.0.0.1"], "other.camket.test": ["127.0.0.1"]}, [])
    with webhook_receiver(failures=0, tls=server_context) as receiver:
        transport = GuardedTransport(settings.egress_policy, resolve, ssl_context=trusting)
        async with httpx.AsyncClient(transport=transport) as client:
            answered = await client.post(f"https://hook.camket.test:{receiver.port}/hook", content=b"{}")
            assert answered.status_code == 200
            assert receiver.requests[0].headers["Host"] == f"hook.camket.test:{receiver.port}"
            with pytest.raises(httpx.ConnectError, match="certificate"):  # same address, another name
                await client.post(f"https://other.camket.test:{receiver.port}/hook", content=b"{}")
    assert len(receiver.requests) == 1


async def test_answers_kept_by_earlier_versions_are_cut_down_to_their_status(
        container: Container, settings: NotificationsSettings, clock: ManualClock) -> None:
    with webhook_receiver(failures=100) as receiver:
        await container.admin.save(OFFICE, subscription("Cũ", Channel.WEBHOOK, receiver.url()), SECRET,
                                   replacing=False)
        await one_alert(container)
        await container.deliveries.run_once()
    delivery = await only_delivery(container)
    async with container.db.transaction() as conn:  # as versions before this one stored a failed attempt
        await conn.execute("UPDATE deliveries SET last_error = %s WHERE id = %s",
                           ("HTTP 502: <html>upstream 10.0.0.7 password=hunter2</html>", delivery["id"]))
    restarted = build(settings, clock=clock)
    await restarted.open()
    try:
        assert (await only_delivery(restarted))["last_error"] == "HTTP 502: (nội dung trả lời không được lưu)"
    finally:
        await restarted.close()
    async with container.db.transaction() as conn:  # what this version writes is left as it is
        await conn.execute("UPDATE deliveries SET last_error = %s WHERE id = %s",
                           ("HTTP 500: máy nhận báo lỗi", delivery["id"]))
    again = build(settings, clock=clock)
    await again.open()
    try:
        assert (await only_delivery(again))["last_error"] == "HTTP 500: máy nhận báo lỗi"
    finally:
        await again.close()
