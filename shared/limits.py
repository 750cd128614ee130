"""Refuses oversized request bodies, and bodies of a media type the service does not read, before they
reach a route: every service installs it (a body is read into memory by the framework, so the bound
is what keeps one client from exhausting a process).

The declared Content-Length is checked first, and then suffices: the server delivers no more than it
(so the common request passes without a wrapper around its messages). A body sent without one
(chunked) is counted as it arrives and cut off at the limit.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.problems import problem

JSON = (b"application/json", b"")
FORM = (b"application/x-www-form-urlencoded",)


class BodyLimit:
    """`streamed`: path prefixes whose routes read a body of their own kind (evidence files, say) and
    bound it themselves, as it arrives; `streamed_paths`: the same for exactly these paths."""

    def __init__(self, app: ASGIApp, max_bytes: int, media_types: Iterable[bytes] = JSON,
                 streamed: tuple[str, ...] = (), streamed_paths: tuple[str, ...] = ()) -> None:
        self.app, self.max_bytes, self.media_types = app, max_bytes, frozenset(media_types)
        self.streamed, self.streamed_paths = streamed, frozenset(streamed_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH")
                or (self.streamed and scope["path"].startswith(self.streamed))
                or scope["path"] in self.streamed_paths):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type not in self.media_types:
            wanted = " or ".join(sorted(t.decode() for t in self.media_types if t))
            await problem(415, "Unsupported media type", f"send the body as {wanted}",
                          field="Content-Type")(scope, receive, send)
            return
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._too_large(scope, receive, send)
            return
        if length is not None:  # the server reads exactly the declared length (HTTP framing): nothing to count
            await self.app(scope, receive, send)
            return
        received, answered = 0, False

        async def limited() -> Message:
            nonlocal received, answered
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # Answered here: a framework reading the body may catch the error and answer 400 itself.
                if not answered:
                    answered = True
                    await self._too_large(scope, receive, send)
                raise _TooLarge
            return message

        async def unless_answered(message: Message) -> None:
            if not answered:
                await send(message)

        try:
            await self.app(scope, limited, unless_answered)
        except _TooLarge:
            if not answered:
                await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await problem(413, "Request body too large", f"the body must be at most {self.max_bytes} bytes",
                      field="body")(scope, receive, send)


class _TooLarge(Exception):
    pass
