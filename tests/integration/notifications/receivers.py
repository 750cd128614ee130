"""Real receivers started in process: an HTTP server that fails its first requests, and an SMTP
server (aiosmtpd) that keeps what it is sent."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    """Answers 500 to the first `failures` requests (per path), then 200; `hang` seconds before answering."""

    failures: int = 2
    hang: float = 0.0
    body: bytes = b""  # what a failing answer carries (a receiver's error page)
    requests: list[Received] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answered(self, status: int) -> list[Received]:
        return [r for r in self.requests if r.status == status]


@contextmanager
def webhook_receiver(failures: int = 2, hang: float = 0.0, body: bytes = b"",
                     tls: ssl.SSLContext | None = None) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(failures=failures, hang=hang, body=body)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(receiver.hang)
            with lock:
                status = 500 if len(receiver.requests) < receiver.failures else 200
                receiver.requests.append(Received(status, dict(self.headers.items()), body))
            answer = receiver.body if status != 200 else b""
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:  # handshakes happen in each request's thread
        server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[int, _Mailbox]]:
    from devstack import free_port

    mailbox = _Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, mailbox
    finally:
        controller.stop()
