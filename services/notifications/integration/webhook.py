"""Webhook deliveries: the alert as a CloudEvent over HTTP (binary mode: `ce-*` headers, the
contract as the JSON body), signed with HMAC-SHA256 under the subscription's secret.

The signature covers what identifies the delivery as well as the body, so a receiver can trust
them all; the signed bytes are (docs/notifications.md, "Webhooks"):

    "camket-webhook/2\\n" ‖ X-Camket-Timestamp ‖ "\\n" ‖ X-Camket-Delivery ‖ "\\n" ‖ ce-type ‖ "\\n" ‖
    ce-id ‖ "\\n" ‖ body

and `X-Camket-Signature: v2=<hex>`. A receiver checks it with `verify` (or the same lines of its
own), refuses stale timestamps, and drops a repeated `ce-id`: a delivery is retried until answered
with a 2xx, so after a timeout it may arrive twice.

What a receiver answers is never read beyond its status: its body could hold anything (an internal
page, a secret), and the delivery log shows at most the status and a short reason in Vietnamese.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

import httpx

from notifications.application.ports import DeliveryFailed
from notifications.domain.alerts import Alert
from notifications.domain.delivery_log import FAILED, NOT_ACCEPTED, REDIRECT, REFUSED
from notifications.integration.contract import alert_envelope, alert_v1
from notifications.integration.egress import AddressRefused

__all__ = ["DeliveryFailed", "WebhookSender", "sign", "verify"]

SIGNATURE_HEADER = "X-Camket-Signature"
TIMESTAMP_HEADER = "X-Camket-Timestamp"
DELIVERY_HEADER = "X-Camket-Delivery"
SIGNED_HEADERS = (TIMESTAMP_HEADER, DELIVERY_HEADER, "ce-type", "ce-id")
SCHEME = b"camket-webhook/2\n"
TOLERANCE_SECONDS = 300


def signed_bytes(headers: Mapping[str, str], body: bytes) -> bytes:
    lowered = {k.lower(): v for k, v in headers.items()}
    return SCHEME + b"".join(lowered.get(h.lower(), "").encode() + b"\n" for h in SIGNED_HEADERS) + body


def sign(secret: str, headers: Mapping[str, str], body: bytes) -> str:
    return "v2=" + hmac.new(secret.encode(), signed_bytes(headers, body), hashlib.sha256).hexdigest()


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None,
           tolerance: float = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: a fresh timestamp and a signature over these headers and this body."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        fresh = abs((time.time() if now is None else now) - int(lowered.get(TIMESTAMP_HEADER.lower(), ""))) \
            <= tolerance
    except ValueError:
        return False
    given = lowered.get(SIGNATURE_HEADER.lower(), "")
    return fresh and hmac.compare_digest(sign(secret, headers, body), given)


def _reason(status: int) -> str:
    """What the delivery log says after "HTTP <status>: " (domain.delivery_log)."""
    if 300 <= status < 400:
        return REDIRECT
    if status in (401, 403):
        return REFUSED
    if 400 <= status < 500:
        return NOT_ACCEPTED
    return FAILED


class WebhookSender:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, url: str, secret: str, delivery_id: int, alert: Alert) -> None:
        envelope = alert_envelope(alert_v1(alert))
        headers = {k: v for k, v in envelope.headers().items() if k != "Nats-Msg-Id"}
        headers |= {TIMESTAMP_HEADER: str(int(time.time())), DELIVERY_HEADER: str(delivery_id)}
        headers[SIGNATURE_HEADER] = sign(secret, headers, envelope.data)
        try:
            # Streamed and closed unread: only the status is looked at.
            async with self.client.stream("POST", url, content=envelope.data, headers=headers) as response:
                status = response.status_code
        except AddressRefused as refused:
            raise DeliveryFailed(f"địa chỉ bị chặn: {refused.reason} ({refused.address})") from None
        except httpx.TimeoutException:
            raise DeliveryFailed("hết thời gian chờ máy nhận") from None
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"không kết nối được với máy nhận ({type(error).__name__})") from None
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}: {_reason(status)}")
