"""Webhook deliveries: the alert as a CloudEvent over HTTP (binary mode: `ce-*` headers, the
contract as the JSON body), signed with HMAC-SHA256 over "<timestamp>.<body>" with the
subscription's secret.

A receiver checks `X-Camket-Signature` with `verify` (or the same three lines of its own), refuses
stale timestamps, and drops a repeated `ce-id`: a delivery is retried until answered with a 2xx,
so after a timeout it may arrive twice.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx

from shared.envelope import CloudEvent

SIGNATURE_HEADER = "X-Camket-Signature"
TIMESTAMP_HEADER = "X-Camket-Timestamp"
DELIVERY_HEADER = "X-Camket-Delivery"
TOLERANCE_SECONDS = 300


class DeliveryFailed(Exception):
    pass


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None,
           tolerance: float = TOLERANCE_SECONDS) -> bool:
    try:
        fresh = abs((time.time() if now is None else now) - int(timestamp)) <= tolerance
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookSender:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, url: str, secret: str, delivery_id: int, envelope: CloudEvent) -> None:
        timestamp = str(int(time.time()))
        headers = {k: v for k, v in envelope.headers().items() if k != "Nats-Msg-Id"}
        headers |= {SIGNATURE_HEADER: sign(secret, timestamp, envelope.data), TIMESTAMP_HEADER: timestamp,
                    DELIVERY_HEADER: str(delivery_id)}
        try:
            response = await self.client.post(url, content=envelope.data, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from None
        if not response.is_success:
            raise DeliveryFailed(f"HTTP {response.status_code}: {response.text[:200]}")
