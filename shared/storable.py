"""What a consumer does with text that is already stored: make it storable, never refuse it.

Events are immutable, and events accepted before text was checked at the boundary (shared.text)
may hold anything a JSON string can. PostgreSQL refuses NUL in `text`, `json` and `jsonb`, and no
UTF-8 encoder takes a lone surrogate; every other character is stored as it is. The one policy, at
each consumer's translation boundary (the stream consumer's decoding, the audit change index):

    NUL (U+0000)            → U+2400 SYMBOL FOR NULL "␀": the reader sees that there was one
    lone surrogate          → U+FFFD REPLACEMENT CHARACTER

Everything else is left alone, so the event stays visible where it belongs, and a rebuild from the
same events writes the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

NUL_SYMBOL = "\u2400"
REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
M = TypeVar("M", bound=BaseModel)


def storable(text: str) -> str:
    """`text` with NUL and lone surrogates replaced (the same string when it holds neither)."""
    if _UNSTORABLE.search(text) is None:
        return text
    return _UNSTORABLE.sub(lambda m: NUL_SYMBOL if m.group() == "\x00" else REPLACEMENT, text)


def storable_value(value: Any) -> Any:
    """Every string in a JSON-like value (dicts, lists, tuples, models) made storable."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, BaseModel):
        return storable_model(value)
    if isinstance(value, Mapping):
        return {storable_value(k): storable_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(storable_value(v) for v in value)
    return value


def storable_model(model: M) -> M:
    """A copy of `model` whose strings are storable (the model itself when none needed it)."""
    changes = {}
    for name in type(model).model_fields:
        old = getattr(model, name)
        new = storable_value(old)
        if new != old:
            changes[name] = new
    return model.model_copy(update=changes) if changes else model


def needs_cleaning(json_bytes: bytes) -> bool:
    """Whether a JSON document may hold a NUL: JSON can only carry one escaped (a cheap test that
    keeps the common case free of any walk over the decoded value)."""
    return b"\\u0000" in json_bytes


__all__ = ["NUL_SYMBOL", "REPLACEMENT", "needs_cleaning", "storable", "storable_model", "storable_value"]
