"""Dependencies of the routes: the container, the verified principal (any role may read), `now`,
and the parsing of the query parameters that are not plain types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from reporting.api.problems import BadRequest
from reporting.application.read_store import ReadStore
from reporting.bootstrap import Container
from shared.auth.tokens import InvalidToken, Principal
from shared.instants import InvalidInstant, civil_day, utc_instant
from shared.vn import end_of_day, utc_now


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def get_principal(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise InvalidToken("send 'Authorization: Bearer <token>'")
    return await get_container(request).verifier.authenticate(authorization[7:].strip())


def get_reads(request: Request) -> ReadStore:
    return get_container(request).reads


def get_org(request: Request) -> str:
    return get_container(request).settings.org


def get_now(request: Request) -> datetime:
    """The clock of the request (tests may pin it on app.state.clock)."""
    clock = getattr(request.app.state, "clock", None)
    now: datetime = clock() if clock is not None else utc_now()
    return now


def get_as_of(now: Annotated[datetime, Depends(get_now)],
              as_of: Annotated[str | None, Query(description="A past day (YYYY-MM-DD: its end in Vietnam, or now "
                                                             "if today) or instant (ISO 8601 with offset)")] = None
              ) -> datetime | None:
    if as_of is None or not as_of.strip():
        return None
    text = as_of.strip()
    try:
        if len(text) == 10:
            return min(end_of_day(civil_day(date.fromisoformat(text), "as_of")), now)
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except InvalidInstant:
        raise
    except ValueError:
        raise BadRequest(f"as_of must be a day (YYYY-MM-DD) or an ISO 8601 instant, got {text!r}", "as_of") from None
    if instant.tzinfo is None:
        raise BadRequest("as_of needs a UTC offset (e.g. 2025-06-30T17:00:00+07:00)", "as_of")
    return utc_instant(instant, "as_of")


def get_day(day: Annotated[date | None, Query(description="A day of the week or month wanted (YYYY-MM-DD); "
                                                          "today by default")] = None) -> date | None:
    return civil_day(day, "day") if day is not None else None


PrincipalDep = Annotated[Principal, Depends(get_principal)]
ReadsDep = Annotated[ReadStore, Depends(get_reads)]
OrgDep = Annotated[str, Depends(get_org)]
NowDep = Annotated[datetime, Depends(get_now)]
AsOfDep = Annotated[datetime | None, Depends(get_as_of)]
DayDep = Annotated[date | None, Depends(get_day)]
ContainerDep = Annotated[Container, Depends(get_container)]
Year = Annotated[int | None, Query(ge=2000, le=2200, description="Program year")]
