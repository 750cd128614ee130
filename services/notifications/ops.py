"""The notifications side of `camket status`, `camket config` and `camket notifications replay`."""

from __future__ import annotations

from typing import Any

import typer
from nats.aio.client import Client
from pydantic_settings import BaseSettings

from shared.ops import registry
from shared.ops.cli import add_replay
from shared.stream_consumer.protocol import ConsumerOptions


def register(group: typer.Typer) -> None:
    registry.status_section("notifications", status)
    registry.settings_of("notifications", _settings)
    add_replay(group, _database_url, _options)


def _settings() -> type[BaseSettings]:
    from notifications.config import NotificationsSettings

    return NotificationsSettings


def _database_url() -> str:
    from notifications.config import NotificationsSettings

    return NotificationsSettings().database_url


def _options() -> ConsumerOptions:
    from notifications.config import NotificationsSettings
    from shared.stream_consumer import task_events
    from shared.subjects import Subjects

    s = NotificationsSettings()
    return task_events(Subjects(s.org, s.subject_prefix), name=s.consumer_durable, schema=s.db_schema)


async def status(nc: Client | None) -> dict[str, Any]:
    from shared.ops.positions import consumer_status

    return await consumer_status(_database_url(), _options(), nc)
