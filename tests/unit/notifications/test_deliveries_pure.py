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


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = '{"message": "Nhiệm vụ đã quá hạn"}'.encode()
    signature = sign("bí-mật-của-hệ-thống", "1751328000", body)
    expected = hmac.new("bí-mật-của-hệ-thống".encode(), b"1751328000." + body, hashlib.sha256).hexdigest()
    assert signature == f"sha256={expected}"
    assert verify("bí-mật-của-hệ-thống", "1751328000", body, signature, now=1751328100)
    assert not verify("another secret", "1751328000", body, signature, now=1751328100)
    assert not verify("bí-mật-của-hệ-thống", "1751328000", body + b" ", signature, now=1751328100)
    assert not verify("bí-mật-của-hệ-thống", "1751328000", body, signature, now=1751328000 + 3600)  # replayed
    assert not verify("bí-mật-của-hệ-thống", "soon", body, signature)


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
