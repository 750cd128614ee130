"""Subscriptions (who gets what, by role, unit and rule, over webhook or e-mail): the Office's."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Response

from notifications.api.deps import ContainerDep, OfficeDep
from notifications.api.problems import BadRequest, NotFound
from notifications.api.schemas import SubscriptionIn, valid_address
from notifications.application.subscription_admin import InvalidSubscription
from notifications.domain.subscriptions import Channel, Subscription

router = APIRouter(prefix="/api/v1/subscriptions", tags=["subscriptions"])


def _subscription(subscription_id: UUID, body: SubscriptionIn) -> Subscription:
    problem = valid_address(body.channel, body.address)
    if problem:
        raise BadRequest(problem, "address")
    if body.secret is not None and body.channel != "webhook":
        raise BadRequest("only a webhook has a secret", "secret")
    return Subscription(id=subscription_id, name=body.name, channel=Channel(body.channel), address=body.address,
                        roles=tuple(body.roles), units=tuple(body.units), rules=tuple(body.rules), active=body.active)


async def _save(container: ContainerDep, principal: OfficeDep, sub: Subscription, secret: str | None,
                replacing: bool) -> dict[str, Any]:
    try:
        saved = await container.admin.save(principal, sub, secret, replacing=replacing)
    except InvalidSubscription as error:
        raise BadRequest(error.message, error.field) from None
    if saved is None:
        raise NotFound(f"no subscription {sub.id}", "subscription_id")
    view, made = saved
    return view | ({"secret": made} if made else {})


@router.get("", summary="Every subscription (secrets are never shown)")
async def list_subscriptions(container: ContainerDep, _: OfficeDep) -> dict[str, Any]:
    found = await container.admin.subscriptions()
    return {"count": len(found), "subscriptions": found}


@router.post("", status_code=201, summary="Subscribe; a webhook's generated secret is returned once")
async def create(body: SubscriptionIn, container: ContainerDep, principal: OfficeDep) -> dict[str, Any]:
    return await _save(container, principal, _subscription(uuid4(), body), body.secret, replacing=False)


@router.get("/{subscription_id}", summary="One subscription")
async def get_subscription(subscription_id: UUID, container: ContainerDep, _: OfficeDep) -> dict[str, Any]:
    found = await container.admin.get(subscription_id)
    if found is None:
        raise NotFound(f"no subscription {subscription_id}", "subscription_id")
    return found


@router.put("/{subscription_id}", summary="Replace a subscription (a webhook keeps its secret unless given one)")
async def replace(subscription_id: UUID, body: SubscriptionIn, container: ContainerDep,
                  principal: OfficeDep) -> dict[str, Any]:
    return await _save(container, principal, _subscription(subscription_id, body), body.secret, replacing=True)


@router.delete("/{subscription_id}", status_code=204, summary="Unsubscribe; pending deliveries are cancelled")
async def delete(subscription_id: UUID, container: ContainerDep, _: OfficeDep) -> Response:
    if not await container.admin.delete(subscription_id):
        raise NotFound(f"no subscription {subscription_id}", "subscription_id")
    return Response(status_code=204)
