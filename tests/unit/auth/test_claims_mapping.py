"""The one table of golden cases for the claims mapping (shared/auth/claims.py)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.auth.claims import ClaimsMapping, ClaimsRefused, NoRole

KEYCLOAK = ClaimsMapping(unit_claim="camket_unit", roles_claim="realm_access.roles",
                         groups={"/skhcn/van-phong": "office", "/skhcn/ban-giam-doc": "board"})
GROUPS = ClaimsMapping(roles_claim="groups", groups={"VP": "office", "TT": "inspector"})
PLAIN = ClaimsMapping()

CASES: list[tuple[str, ClaimsMapping, dict[str, Any], tuple[str, str, frozenset[str]] | type[Exception]]] = [
    ("plain roles", PLAIN, {"name": "Lan", "unit": "vp", "roles": ["office"]}, ("Lan", "vp", frozenset({"office"}))),
    ("one role as a string", PLAIN, {"name": "Lan", "unit": "vp", "roles": "board"},
     ("Lan", "vp", frozenset({"board"}))),
    ("unknown role, no groups: an error", PLAIN, {"name": "L", "unit": "vp", "roles": ["admin"]}, ClaimsRefused),
    ("no roles claim: no role", PLAIN, {"name": "L", "unit": "vp"}, NoRole),
    ("empty roles: no role", PLAIN, {"name": "L", "unit": "vp", "roles": []}, NoRole),
    ("roles not strings", PLAIN, {"name": "L", "unit": "vp", "roles": [1]}, ClaimsRefused),
    ("no unit", PLAIN, {"name": "L", "roles": ["office"]}, ClaimsRefused),
    ("blank name, username used", PLAIN, {"preferred_username": "lan", "unit": "vp", "roles": ["office"]},
     ("lan", "vp", frozenset({"office"}))),
    ("no name at all", PLAIN, {"unit": "vp", "roles": ["office"]}, ClaimsRefused),
    ("nested Keycloak roles + groups", KEYCLOAK,
     {"name": "Hùng", "camket_unit": "bgd", "realm_access": {"roles": ["/skhcn/ban-giam-doc", "offline_access"]}},
     ("Hùng", "bgd", frozenset({"board"}))),
    ("Keycloak: only foreign groups: no role", KEYCLOAK,
     {"name": "Hùng", "camket_unit": "bgd", "realm_access": {"roles": ["offline_access", "uma_authorization"]}},
     NoRole),
    ("groups mapped, a direct role kept", GROUPS, {"name": "An", "unit": "tt", "groups": ["TT", "unit_head", "x"]},
     ("An", "tt", frozenset({"inspector", "unit_head"}))),
    ("no role wins over a missing unit", GROUPS, {"name": "An", "groups": ["x"]}, NoRole),
]


@pytest.mark.parametrize(("mapping", "claims", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_claims_mapping(mapping: ClaimsMapping, claims: dict[str, Any],
                        expected: tuple[str, str, frozenset[str]] | type[Exception]) -> None:
    if isinstance(expected, type):
        with pytest.raises(expected):
            mapping.identity(claims)
    else:
        assert mapping.identity(claims) == expected
