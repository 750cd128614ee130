"""What each service tells the operator commands about itself: its sections of `camket status` and
its settings for `camket config`. Services fill it from their `camket.cli` entry point, so the
commands in `shared.cli` never import a service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nats.aio.client import Client
from pydantic_settings import BaseSettings

StatusSection = Callable[[Client | None], Awaitable[dict[str, Any]]]  # given NATS, None if unreachable

STATUS: dict[str, StatusSection] = {}
SETTINGS: dict[str, Callable[[], type[BaseSettings]]] = {}  # imported only when asked for


def status_section(name: str, section: StatusSection) -> None:
    STATUS[name] = section


def settings_of(name: str, load: Callable[[], type[BaseSettings]]) -> None:
    SETTINGS[name] = load
