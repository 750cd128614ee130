"""Request bodies. Unknown fields are refused (422 naming them); every value is bounded."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.json_schema import SkipJsonSchema

from notifications.domain.rules import Rule, Severity
from notifications.domain.subscriptions import DIGEST
from shared.auth.tokens import ROLES
from shared.text import OneLine

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
_MAILBOX = re.compile(r"^[^@\s<>,;]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")
RULE_NAMES = frozenset({*(r.value for r in Rule), DIGEST})


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SubscriptionIn(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200), OneLine]
    channel: Literal["webhook", "email"]
    address: Annotated[str, StringConstraints(min_length=3, max_length=2000), OneLine] = Field(
        description="The webhook's http(s) URL, or the mailbox for e-mail.")
    roles: Annotated[list[str], Field(max_length=10)] = Field(default=[], description="Empty: any role.")
    units: Annotated[list[Code], Field(max_length=50)] = Field(default=[], description="Empty: any unit.")
    rules: Annotated[list[str], Field(max_length=20)] = Field(
        default=[], description="Empty: every rule (and the briefing); 'digest' names the briefing.")
    active: bool = True
    secret: Annotated[str, StringConstraints(min_length=16, max_length=200), OneLine] | None = Field(
        default=None, description="Webhook HMAC key; generated (and returned once) when omitted.")

    @field_validator("roles")
    @classmethod
    def _roles(cls, roles: list[str]) -> list[str]:
        unknown = sorted(set(roles) - ROLES)
        if unknown:
            raise ValueError(f"unknown roles {unknown}; known: {sorted(ROLES)}")
        return sorted(set(roles))

    @field_validator("rules")
    @classmethod
    def _rules(cls, rules: list[str]) -> list[str]:
        unknown = sorted(set(rules) - RULE_NAMES)
        if unknown:
            raise ValueError(f"unknown rules {unknown}; known: {sorted(RULE_NAMES)}")
        return sorted(set(rules))


class ProgramRulesIn(Body):
    approach_days: Annotated[list[Annotated[int, Field(ge=1, le=365)]], Field(min_length=1, max_length=6)]
    no_progress_days: int = Field(ge=1, le=365)
    confirmation_wait_days: int = Field(ge=1, le=365)
    # No longer a setting: refused by name, with why, rather than as an unknown field.
    pace_margin: SkipJsonSchema[object] = Field(default=None, exclude=True)

    @field_validator("pace_margin", mode="before")
    @classmethod
    def _pace_is_not_set_here(cls, _: object) -> None:
        raise ValueError("the pace is the dashboard's rule (behind once the achieved share trails the line from "
                         "1 January to the deadline by 10 points, shared.rules.pace) and is not set per program")


class AlertQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: Code | None = None
    rule: Rule | None = None
    task_id: UUID | None = None
    severity: Severity | None = None
    program_year: int | None = Field(default=None, ge=2000, le=2100)
    acknowledged: bool | None = None
    before: int | None = Field(default=None, ge=1, description="The `seq` of the last alert of the previous page.")
    limit: int = Field(default=50, ge=1, le=500)


class RetryIn(Body):
    ids: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1, max_length=500)]


def valid_address(channel: str, address: str) -> str | None:
    """Why the address does not suit the channel, or None."""
    if channel == "webhook":
        try:
            url = AnyHttpUrl(address)
        except ValueError:
            return "a webhook address must be an http:// or https:// URL"
        return None if url.host else "the webhook URL has no host"
    if not _MAILBOX.match(address):
        return "an e-mail address looks like name@example.gov.vn"
    return None
