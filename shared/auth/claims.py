"""From a token's claims to the principal: which claim holds the unit, which the roles (or the provider's
groups, mapped to roles). One mapping for every service, so the APIs and the dashboard read a provider's
tokens the same way. A value that is neither a role nor a mapped group is ignored; a user left with no
role is refused (`NoRole`), never given a default one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = frozenset({"office", "unit_staff", "unit_head", "board", "inspector"})


class ClaimsRefused(Exception):
    """The claims do not name a user this system knows how to serve."""


class NoRole(ClaimsRefused):
    """Signed in at the provider, but the mapping gives the user no role here."""


@dataclass(frozen=True)
class ClaimsMapping:
    unit_claim: str = "unit"
    roles_claim: str = "roles"  # a dotted path reaches nested claims: Keycloak's `realm_access.roles`
    name_claim: str = "name"
    # Provider group name -> role. With none, the claim must hold roles only (an unknown one is an error);
    # with some, a provider's other groups are ignored.
    groups: dict[str, str] = field(default_factory=dict)

    def roles(self, claims: dict[str, Any]) -> frozenset[str]:
        raw = lookup(claims, self.roles_claim)
        values = [raw] if isinstance(raw, str) else raw
        if raw is None:
            return frozenset()  # a provider leaves the claim out for a user with none
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ClaimsRefused(f"the token's {self.roles_claim!r} claim must be a list of strings")
        mapped = {self.groups.get(v) or v for v in values}
        unknown = mapped - ROLES
        if unknown and not self.groups:
            raise ClaimsRefused(f"unknown roles in the token: {sorted(unknown)}")
        return frozenset(mapped & ROLES)

    def identity(self, claims: dict[str, Any]) -> tuple[str, str, frozenset[str]]:
        """(name, unit, roles) of verified claims; raises ClaimsRefused or NoRole."""
        name = lookup(claims, self.name_claim) or claims.get("preferred_username")
        unit = lookup(claims, self.unit_claim)
        roles = self.roles(claims)
        if not isinstance(name, str) or not name.strip():
            raise ClaimsRefused(f"the token must carry the user's name ({self.name_claim!r})")
        if not roles:
            raise NoRole("the identity provider gives this user no role in Cam kết")
        if not isinstance(unit, str) or not unit.strip():
            raise ClaimsRefused(f"the token must carry the user's unit ({self.unit_claim!r})")
        return name.strip(), unit.strip(), roles


def lookup(claims: dict[str, Any], path: str) -> Any:
    """A claim by name, or by a dotted path into nested objects when no claim has the whole name."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value
