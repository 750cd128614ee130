"""Dependencies of the routes: the container and the verified principal, with role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from notifications.api.problems import Forbidden
from notifications.bootstrap import Container
from shared.auth.tokens import InvalidToken, Principal

OVERSEERS = ("office", "board", "inspector")  # see every alert


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def get_principal(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise InvalidToken("send 'Authorization: Bearer <token>'")
    return await get_container(request).verifier.authenticate(authorization[7:].strip())


def get_office(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """Subscriptions and deliveries are the Office's to manage (Văn phòng Sở runs the notices)."""
    if not principal.has("office"):
        raise Forbidden("only the Office (role office) manages subscriptions and deliveries")
    return principal


def get_office_or_board(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.has("office", "board"):
        raise Forbidden("only the Office and the Board may do this")
    return principal


ContainerDep = Annotated[Container, Depends(get_container)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
OfficeDep = Annotated[Principal, Depends(get_office)]
OfficeOrBoardDep = Annotated[Principal, Depends(get_office_or_board)]
