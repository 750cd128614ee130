"""Webhook secrets are stored encrypted (AES-256-GCM), with a key kept outside the database.

Someone who reads the subscriptions table (a backup, a replica, a report query) must not learn the
keys that receivers trust to tell our deliveries from forgeries. Each secret is sealed with a fresh
96-bit nonce and the subscription's id as associated data, so a sealed value copied onto another
subscription does not open. Stored form: `aesgcm1:` + base64(nonce ‖ ciphertext ‖ tag).

The key file holds 32 random bytes, base64. In development and tests a missing one is generated
under the state directory; anywhere else the operator must name an existing file
(`CAMKET_NOTIFICATIONS_WEBHOOK_SECRET_KEY_FILE`), and the generated development file is refused.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from notifications.application.ports import SecretUnusable

PREFIX = "aesgcm1:"
NONCE_LEN = 12
DEV_KEY_NAME = "webhook-secrets.dev.key"


class SecretKeyError(SecretUnusable):
    """No usable key, or a secret that does not open with this one."""


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


class SecretCipher:
    sealed_prefix = PREFIX  # ports.Cipher: how the store tells a sealed secret from one of an earlier version
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise SecretKeyError("the webhook secret key must be 32 bytes (base64 in its file)")
        self._aead = AESGCM(key)

    @classmethod
    def from_file(cls, path: Path) -> SecretCipher:
        try:
            return cls(base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True))
        except (OSError, UnicodeDecodeError, binascii.Error) as error:
            raise SecretKeyError(f"{path}: not a webhook secret key ({type(error).__name__})") from None

    def seal(self, subscription_id: UUID, secret: str) -> str:
        nonce = os.urandom(NONCE_LEN)
        sealed = nonce + self._aead.encrypt(nonce, secret.encode(), subscription_id.bytes)
        return PREFIX + base64.b64encode(sealed).decode("ascii")

    def open(self, subscription_id: UUID, stored: str) -> str:
        """The secret; a value stored before encryption existed (no prefix) is taken as it is."""
        if not is_sealed(stored):
            return stored
        try:
            raw = base64.b64decode(stored.removeprefix(PREFIX), validate=True)
            return self._aead.decrypt(raw[:NONCE_LEN], raw[NONCE_LEN:], subscription_id.bytes).decode()
        except (binascii.Error, InvalidTag, UnicodeDecodeError):
            raise SecretKeyError(f"the secret of subscription {subscription_id} does not open with this key") from None


def write_key(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base64.b64encode(secrets.token_bytes(32)).decode("ascii") + "\n", encoding="ascii")
    path.chmod(0o600)
    return path


def load_cipher(key_file: Path | None, keys_dir: Path, environment: str) -> SecretCipher:
    """The configured key; in development and tests, a generated one if none is configured."""
    if key_file is not None:
        if environment == "production" and key_file.name == DEV_KEY_NAME:
            raise SecretKeyError("production refuses the generated development key: give it a key of its own")
        return SecretCipher.from_file(key_file)
    if environment == "production":
        raise SecretKeyError("production needs CAMKET_NOTIFICATIONS_WEBHOOK_SECRET_KEY_FILE (32 random bytes, "
                             "base64), kept outside the database")
    path = keys_dir / DEV_KEY_NAME
    return SecretCipher.from_file(path if path.exists() else write_key(path))
