"""`camket config`: the settings a process would run with, where each comes from, secrets masked.

A setting is secret when its name says so (password, secret, token, a key that is not a file's
path); a URL keeps its host and drops its password. What is masked never leaves this module.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices
from pydantic_settings import BaseSettings

MASK = "********"
SECRET_NAME = re.compile(r"(password|secret|token|credentials?|_key)$")


def environment_name(settings: type[BaseSettings], field: str) -> str:
    info = settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices) and alias.choices and isinstance(alias.choices[0], str):
        return alias.choices[0]
    if isinstance(alias, str):
        return alias
    prefix = str(settings.model_config.get("env_prefix", ""))
    return f"{prefix}{field}".upper()


def masked(name: str, value: Any) -> str:
    if value is None:
        return ""
    if SECRET_NAME.search(name) and not isinstance(value, Path):
        return MASK
    text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return ",".join(_mask_url(part) for part in text.split(",")) if "://" in text else text


def _mask_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}:{MASK}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def describe(settings: BaseSettings) -> list[tuple[str, str, str]]:
    """(environment variable, value shown, "set" or "default") for every setting, in declaration order."""
    kind = type(settings)
    return [(environment_name(kind, field), masked(field, getattr(settings, field)),
             "set" if field in settings.model_fields_set else "default") for field in kind.model_fields]
