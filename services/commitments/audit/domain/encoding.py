"""Strict encodings for signed and exported documents.

A verifier must refuse any change, even one that decodes to the same bytes: hex is accepted only in
lower case, and JSON is compared with its canonical form, so no character can change unnoticed.
"""

from __future__ import annotations

import json
import re
from typing import Any

_HEX = re.compile(r"^(?:[0-9a-f]{2})*$")


class EncodingError(ValueError):
    """A field is not in the one form the format allows."""


def canonical_json(value: Any) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8 (NFC text is kept as given)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def pretty_json(value: Any) -> str:
    """The form of an exported file: canonical key order, one indent, a final newline."""
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def unhex(value: object, field: str, size: int | None = None) -> bytes:
    if not isinstance(value, str) or not _HEX.match(value):
        raise EncodingError(f"{field}: expected lower-case hex")
    raw = bytes.fromhex(value)
    if size is not None and len(raw) != size:
        raise EncodingError(f"{field}: expected {size} bytes, got {len(raw)}")
    return raw


def integer(value: object, field: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise EncodingError(f"{field}: expected an integer ≥ {minimum}")
    return value


def text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise EncodingError(f"{field}: expected a string")
    return value


def mapping(value: object, field: str, keys: set[str]) -> dict[str, Any]:
    """A JSON object with exactly these keys: an added or renamed key is a change too."""
    if not isinstance(value, dict):
        raise EncodingError(f"{field}: expected an object")
    if set(value) != keys:
        raise EncodingError(f"{field}: expected the keys {sorted(keys)}, got {sorted(value)}")
    return value


def array(value: object, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise EncodingError(f"{field}: expected an array")
    return value
