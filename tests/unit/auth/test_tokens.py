"""Bearer tokens: only the key's own algorithm opens it (the header's `alg` never chooses), and
`camket mint-token` never runs in production."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from typer.testing import CliRunner

from shared.auth.devkeys import ensure_key_pair, load_private_key
from shared.auth.tokens import InvalidToken, TokenVerifier, mint_token
from shared.cli import app as camket

ISSUER, AUDIENCE = "camket-dev", "camket"


def claims() -> dict[str, object]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "qlcn.an", "name": "Nguyễn Văn An", "unit": "ql-cndmst",
            "roles": ["unit_staff"], "iat": now, "exp": now + 600}


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    return ensure_key_pair(tmp_path, "jwt")


@pytest.fixture
def verifier(tmp_path: Path, key_path: Path) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, public_key_file=tmp_path / "jwt.pub.pem")


def unsigned(header: dict[str, str]) -> str:
    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims())}.{part('x')}"


def test_a_token_of_our_key_opens(verifier: TokenVerifier, key_path: Path) -> None:
    token = mint_token(load_private_key(key_path), issuer=ISSUER, audience=AUDIENCE, user_id="qlcn.an",
                       name="Nguyễn Văn An", unit="ql-cndmst", roles=["unit_staff"])
    assert verifier.verify(token).unit == "ql-cndmst"


def test_an_rs256_token_against_the_ed25519_key_is_refused_not_a_crash(verifier: TokenVerifier) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken):
        verifier.verify(jwt.encode(claims(), rsa_key, algorithm="RS256"))
    with pytest.raises(InvalidToken):  # the header alone, unsigned: PyJWT used to raise TypeError here
        verifier.verify(unsigned({"alg": "RS256", "typ": "JWT"}))


@pytest.mark.parametrize("alg", ["ES256", "HS256", "none", "EdDSA-but-not", ""])
def test_no_other_algorithm_opens_it(verifier: TokenVerifier, alg: str) -> None:
    with pytest.raises(InvalidToken):
        verifier.verify(unsigned({"alg": alg, "typ": "JWT"}))


def test_the_public_key_as_an_hmac_secret_is_refused(verifier: TokenVerifier, tmp_path: Path) -> None:
    """The classic confusion: HS256 keyed with the (public) PEM text."""
    head_and_body = unsigned({"alg": "HS256", "typ": "JWT"}).rsplit(".", 1)[0]
    mac = hmac.new((tmp_path / "jwt.pub.pem").read_bytes(), head_and_body.encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidToken):
        verifier.verify(f"{head_and_body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}")


def test_a_token_of_another_key_type_is_refused(verifier: TokenVerifier) -> None:
    with pytest.raises(InvalidToken):
        verifier.verify(jwt.encode(claims(), ec.generate_private_key(ec.SECP256R1()), algorithm="ES256"))


def test_mint_token_refuses_to_run_in_production(tmp_path: Path) -> None:
    env = {"CAMKET_STATE_DIR": str(tmp_path), "CAMKET_JWT_ISSUER": "https://id.example.gov.vn",
           "CAMKET_JWT_JWKS_URL": "https://id.example.gov.vn/jwks"}
    refused = CliRunner().invoke(camket, ["mint-token", "--role", "board"], env=env | {
        "CAMKET_ENVIRONMENT": "production"})
    assert refused.exit_code == 2 and "production" in refused.output
    assert not (tmp_path / "keys" / "jwt.pem").exists()  # not even a key was made
    minted = CliRunner().invoke(camket, ["mint-token", "--role", "board"], env=env | {
        "CAMKET_ENVIRONMENT": "development"})
    assert minted.exit_code == 0 and minted.output.count(".") == 2
