"""The audit routes' access log, written before the answer leaves.

Why a route class and not a dependency: FastAPI runs the code after a dependency's `yield` once the
response has been sent, so a record written there cannot refuse the request — a read whose query held
`%00` (which PostgreSQL's jsonb refuses) was served and never logged. Here the route's whole answer is
built first (no audit view streams), then recorded with its real status, then returned; if recording
fails, the answer is dropped and the client gets a 503 problem instead of the data. Requests refused
for want of a token (401) or of a role (403), and bad input (4xx), are recorded the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute

from commitments.audit.domain.access import ANONYMOUS
from shared.auth.tokens import Principal
from shared.problems import problem, status_for

log = logging.getLogger(__name__)
PRINCIPAL = "audit_principal"  # request.state: set by the route's `audited` dependency once the token is verified


class AuditedRoute(APIRoute):
    """Records every request to the route in the access log (view = the route's name) before answering."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler, view = super().get_route_handler(), self.name

        async def recorded(request: Request) -> Response:
            try:
                response = await handler(request)
            except Exception as error:
                if not await _record(request, view, await status_for(request, error)):
                    return _not_logged()
                raise
            return response if await _record(request, view, response.status_code) else _not_logged()

        return recorded


async def _record(request: Request, view: str, outcome: int) -> bool:
    principal: Principal = getattr(request.state, PRINCIPAL, ANONYMOUS)
    subject = request.path_params.get("task_id") or request.query_params.get("unit")
    try:
        audit = request.app.state.container.audit()
        await run_in_threadpool(audit.record_access, principal, view, str(subject) if subject else None,
                                dict(request.query_params), outcome, request.scope.get("query_string", b""))
    except Exception:
        log.exception("the audit access log refused a record (%s, %s): the answer is withheld", view, outcome)
        return False
    return True


def _not_logged() -> Response:
    return problem(503, "Access log unavailable", "the request could not be recorded in the audit access log, "
                   "so it is not answered; retry", headers={"Retry-After": "2"})
