"""A provider's access token through the services' verifier, read with the configured claims mapping
(CAMKET_CLAIM_* and CAMKET_ROLE_GROUPS): nested Keycloak roles, groups mapped to roles, the provider's
issuer and subject kept on the principal, and a user with no mapped role refused as such."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import InvalidToken, NoRoleToken, verifier_for
from shared.settings import CamketSettings

ISSUER = "https://sso.quangtri.gov.vn/realms/quangtri"


def sign(private: Path, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": "camket", "sub": "f3a1-77", "iat": now, "exp": now + 300, "name": "Lê Thị Bình"}
    return jwt.encode(body | claims, load_private_key(private), algorithm="EdDSA")


@pytest.fixture
def private(tmp_path: Path) -> Path:
    return ensure_key_pair(tmp_path / "keys", "jwt")


def settings(tmp_path: Path, **extra: Any) -> CamketSettings:
    values: dict[str, Any] = {"claim_unit": "camket_unit", "claim_roles": "realm_access.roles"} | extra
    return CamketSettings(state_dir=tmp_path, jwt_issuer=ISSUER, **values)


def test_keycloak_nested_roles_and_the_provider_identity(tmp_path: Path, private: Path) -> None:
    token = sign(private, camket_unit="ql-cndmst", realm_access={"roles": ["unit_head", "offline_access"]})
    with pytest.raises(InvalidToken, match="unknown roles"):  # no group mapping: only our role names
        verifier_for(settings(tmp_path)).verify(token)
    verifier = verifier_for(settings(tmp_path, role_groups={"offline_access": "inspector"}))
    principal = verifier.verify(token)
    assert principal.roles == {"unit_head", "inspector"} and principal.unit == "ql-cndmst"
    assert (principal.issuer, principal.subject, principal.user_id) == (ISSUER, "f3a1-77", "f3a1-77")


def test_groups_map_to_roles_and_no_role_is_refused_as_such(tmp_path: Path, private: Path) -> None:
    mapped = settings(tmp_path, claim_roles="groups", role_groups={"/skhcn/ban-giam-doc": "board"})
    verifier = verifier_for(mapped)
    board = sign(private, camket_unit="bgd", groups=["/skhcn/ban-giam-doc", "/tinh/all-staff"])
    assert verifier.verify(board).roles == {"board"}
    with pytest.raises(NoRoleToken):
        verifier.verify(sign(private, camket_unit="bgd", groups=["/tinh/all-staff"]))
    with pytest.raises(NoRoleToken):
        verifier.verify(sign(private, camket_unit="bgd"))


def test_role_groups_come_from_the_environment_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMKET_ROLE_GROUPS", '{"VP": "office"}')
    assert CamketSettings(state_dir=tmp_path).claims_mapping.groups == {"VP": "office"}
    monkeypatch.setenv("CAMKET_ROLE_GROUPS", '{"VP": "admin"}')
    with pytest.raises(ValueError, match="role_groups"):
        CamketSettings(state_dir=tmp_path)
