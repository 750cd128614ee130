"""Backoff, webhook signatures and the e-mail's encoding (no network here)."""

from __future__ import annotations

import email
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default

from notifications.domain.retry import RetryPolicy
from notifications.integration.email import compose
from notifications.integration.webhook import sign, verify

NOW = datetime(2025, 7, 1, tzinfo=UTC)


def test_backoff_doubles_up_to_the_cap_then_dead_letters() -> None:
    policy = RetryPolicy(max_attempts=5, base=timedelta(seconds=10), cap=timedelta(seconds=50))
    waits = [policy.retry_at(n, NOW) for n in range(1, 6)]
    assert [(w - NOW).total_seconds() for w in waits[:4] if w] == [10, 20, 40, 50]
    assert waits[4] is None


HEADERS = {"X-Camket-Timestamp": "1751328000", "X-Camket-Delivery": "42",
           "ce-type": "vn.camket.alert.overdue.v1", "ce-id": "5b7f8d9e-0000-4000-8000-000000000001"}


def test_signature_is_hmac_sha256_over_the_delivery_headers_and_the_body() -> None:
    body = '{"message": "Nhiệm vụ đã quá hạn"}'.encode()
    secret = "bí-mật-của-hệ-thống"
    signature = sign(secret, HEADERS, body)
    signed = (b"camket-webhook/2\n1751328000\n42\nvn.camket.alert.overdue.v1\n"
              b"5b7f8d9e-0000-4000-8000-000000000001\n" + body)
    assert signature == "v2=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    received = HEADERS | {"X-Camket-Signature": signature}
    assert verify(secret, received, body, now=1751328100)
    assert verify(secret, {k.lower(): v for k, v in received.items()}, body, now=1751328100)  # any header case
    assert not verify("another secret", received, body, now=1751328100)
    assert not verify(secret, received, body + b" ", now=1751328100)
    assert not verify(secret, received, body, now=1751328000 + 3600)  # replayed
    assert not verify(secret, received | {"X-Camket-Timestamp": "soon"}, body)
    for header, other in (("X-Camket-Delivery", "43"), ("ce-type", "vn.camket.alert.cancelled.v1"),
                          ("ce-id", "5b7f8d9e-0000-4000-8000-000000000002")):
        assert not verify(secret, received | {header: other}, body, now=1751328100), header


def test_email_carries_vietnamese_subject_and_body_intact() -> None:
    message = compose("Cam kết <camket@skhcn.vn>", "vp@skhcn.vn", "Cảnh báo: Quá hạn — nhiệm vụ QLCN-02",
                      "Nhiệm vụ “Hỗ trợ doanh nghiệp” đã quá hạn ngày 30/06/2025.", "<m1@camket>")
    raw = message.as_bytes()
    assert raw.isascii()  # encoded for any relay: RFC 2047 subject, base64 or quoted-printable body
    parsed = email.message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Subject"] == "Cảnh báo: Quá hạn — nhiệm vụ QLCN-02"
    body = parsed.get_body(("plain",))
    assert body is not None
    assert body.get_content().strip() == "Nhiệm vụ “Hỗ trợ doanh nghiệp” đã quá hạn ngày 30/06/2025."
