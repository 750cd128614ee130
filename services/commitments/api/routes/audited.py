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
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from commitments.api.problems import BadRequest
from commitments.application.permissions import Forbidden
from commitments.audit.domain.access import ANONYMOUS
from commitments.audit.bootstrap import checkpoint_keys, event_keys
from commitments.audit.application.bundle import ExportRefused
from commitments.audit.config import AuditSettings
from commitments.audit.adapters.reader import ForgedRecord, NotRecorded
from commitments.audit.application.service import AuditService
from commitments.bootstrap import Container
from commitments.domain.errors import DomainError, TaskNotFound
from shared.auth.jwks import KeysUnavailable
from shared.auth.tokens import InvalidToken, Principal
from shared.instants import InvalidInstant
from shared.problems import problem

log = logging.getLogger(__name__)
PRINCIPAL = "audit_principal"  # request.state: set by the route's `audited` dependency once the token is verified
_STATUS: dict[type[Exception], int] = {InvalidToken: 401, Forbidden: 403, TaskNotFound: 404, NotRecorded: 404,
                                       ForgedRecord: 409, ExportRefused: 409, RequestValidationError: 422,
                                       InvalidInstant: 422, DomainError: 422, KeysUnavailable: 503}
_lock = threading.Lock()


def audit_for(container: Container) -> AuditService:
    """The container's audit service; built from the settings on first use unless one was given."""
    with _lock:
        service = container.extras.get("audit")
        if service is None:
            settings = AuditSettings(**container.settings.model_dump())
            service = AuditService(settings, container.app, event_keys(settings), checkpoint_keys(settings))
            container.extras["audit"] = service
        return service


def outcome_of(error: Exception) -> int:
    if isinstance(error, BadRequest):
        return error.status
    if isinstance(error, HTTPException):
        return error.status_code
    return next((status for kind, status in _STATUS.items() if isinstance(error, kind)), 500)


class AuditedRoute(APIRoute):
    """Records every request to the route in the access log (view = the route's name) before answering."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler, view = super().get_route_handler(), self.name

        async def recorded(request: Request) -> Response:
            try:
                response = await handler(request)
            except Exception as error:
                if not await _record(request, view, outcome_of(error)):
                    return _not_logged()
                raise
            return response if await _record(request, view, response.status_code) else _not_logged()

        return recorded


async def _record(request: Request, view: str, outcome: int) -> bool:
    principal: Principal = getattr(request.state, PRINCIPAL, ANONYMOUS)
    subject = request.path_params.get("task_id") or request.query_params.get("unit")
    try:
        audit = audit_for(request.app.state.container)
        await run_in_threadpool(audit.record_access, principal, view, str(subject) if subject else None,
                                dict(request.query_params), outcome, request.scope.get("query_string", b""))
    except Exception:
        log.exception("the audit access log refused a record (%s, %s): the answer is withheld", view, outcome)
        return False
    return True


def _not_logged() -> Response:
    return problem(503, "Access log unavailable", "the request could not be recorded in the audit access log, "
                   "so it is not answered; retry", headers={"Retry-After": "2"})
