"""The reporting side of `camket status`, `camket config` and `camket reporting replay`."""

from __future__ import annotations

from typing import Any

import typer
from nats.aio.client import Client
from pydantic_settings import BaseSettings

from shared.ops import registry
from shared.ops.cli import add_replay
from shared.stream_consumer.protocol import ConsumerOptions


def register(group: typer.Typer) -> None:
    registry.status_section("reporting", status)
    registry.settings_of("reporting", _settings)
    add_replay(group, _database_url, _options)


def _settings() -> type[BaseSettings]:
    from reporting.config import ReportingSettings

    return ReportingSettings


def _database_url() -> str:
    from reporting.config import ReportingSettings

    return ReportingSettings().database_url


def _options() -> ConsumerOptions:
    from reporting.config import ReportingSettings
    from reporting.integration.consumer import consumer_options

    return consumer_options(ReportingSettings())


async def status(nc: Client | None) -> dict[str, Any]:
    from shared.ops.positions import consumer_status

    return await consumer_status(_database_url(), _options(), nc)
