"""Reading a JWKS document: only asymmetric signing keys are kept, by key id (no I/O)."""

from __future__ import annotations

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth.jwks import parse_key_set


def ed25519_jwk(kid: str, **extra: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(Ed25519PrivateKey.generate().public_key()))
    return data | {"kid": kid, **extra}


def test_signing_keys_are_kept_by_key_id() -> None:
    keys = parse_key_set({"keys": [ed25519_jwk("a"), ed25519_jwk("b", use="sig")]})
    assert sorted(keys) == ["a", "b"] and keys["a"].algorithm_name == "EdDSA"


def test_symmetric_encryption_and_broken_keys_are_left_out() -> None:
    document = {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"}, ed25519_jwk("enc", use="enc"),
                         {"kty": "OKP", "crv": "X448", "kid": "odd"}, "not a key", ed25519_jwk("good")]}
    assert list(parse_key_set(document)) == ["good"]


@pytest.mark.parametrize("document", [[], {"keys": "x"}, {"nokeys": []}, "text"])
def test_a_document_that_is_not_a_key_set_is_refused(document: object) -> None:
    with pytest.raises(ValueError):
        parse_key_set(document)
