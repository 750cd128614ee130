"""Webhook secrets sealed with AES-GCM under a key outside the database (notifications.integration.secrets)."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from notifications.integration.secrets import DEV_KEY_NAME, SecretCipher, SecretKeyError, load_cipher, write_key


def test_a_sealed_secret_opens_only_for_its_subscription_and_with_its_key(tmp_path: Path) -> None:
    cipher = SecretCipher.from_file(write_key(tmp_path / "k"))
    owner, other = uuid4(), uuid4()
    sealed = cipher.seal(owner, "khóa-bí-mật-0123456789")
    assert sealed.startswith("aesgcm1:") and "khóa" not in sealed
    assert sealed != cipher.seal(owner, "khóa-bí-mật-0123456789")  # a fresh nonce each time
    assert cipher.open(owner, sealed) == "khóa-bí-mật-0123456789"
    with pytest.raises(SecretKeyError):
        cipher.open(other, sealed)  # copied onto another subscription
    with pytest.raises(SecretKeyError):
        SecretCipher.from_file(write_key(tmp_path / "other")).open(owner, sealed)
    with pytest.raises(SecretKeyError):
        cipher.open(owner, sealed[:-4] + "AAAA")
    assert cipher.open(owner, "stored-in-clear-before") == "stored-in-clear-before"


def test_the_key_comes_from_a_file_and_production_never_generates_one(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    load_cipher(None, keys, "development")
    assert (keys / DEV_KEY_NAME).exists() and (keys / DEV_KEY_NAME).stat().st_mode & 0o077 == 0
    with pytest.raises(SecretKeyError, match="CAMKET_NOTIFICATIONS_WEBHOOK_SECRET_KEY_FILE"):
        load_cipher(None, tmp_path / "prod", "production")
    with pytest.raises(SecretKeyError, match="development key"):
        load_cipher(keys / DEV_KEY_NAME, keys, "production")
    load_cipher(write_key(tmp_path / "prod" / "webhook.key"), tmp_path / "prod", "production")
    (tmp_path / "bad.key").write_text("not base64!\n")
    with pytest.raises(SecretKeyError):
        load_cipher(tmp_path / "bad.key", keys, "production")
    (tmp_path / "short.key").write_text("c2hvcnQ=\n")
    with pytest.raises(SecretKeyError, match="32 bytes"):
        load_cipher(tmp_path / "short.key", keys, "production")
