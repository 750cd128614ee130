"""Refuses oversized and non-JSON request bodies before they reach a route."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commitments.api.problems import problem


class BodyLimit:
    """`streamed`: path prefixes whose routes read a non-JSON body and bound it themselves."""

    def __init__(self, app: ASGIApp, max_bytes: int, streamed: tuple[str, ...] = ()) -> None:
        self.app, self.max_bytes, self.streamed = app, max_bytes, streamed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH")
                or scope["path"].startswith(self.streamed)):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type not in (b"application/json", b""):
            await problem(415, "Unsupported media type", "send the body as application/json",
                          field="Content-Type")(scope, receive, send)
            return
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._too_large(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await problem(413, "Request body too large", f"the body must be at most {self.max_bytes} bytes",
                      field="body")(scope, receive, send)


class _TooLarge(Exception):
    pass
