"""The reporting service's stream consumer: the shared kit with the reporting handler."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from nats.aio.client import Client
from nats.js.errors import NotFoundError

from reporting.config import ReportingSettings
from reporting.integration.handler import ReportingHandler
from shared.messaging import stream_config
from shared.stream_consumer import ConsumerOptions, StreamConsumer, task_events
from shared.subjects import Subjects


def consumer_options(settings: ReportingSettings, *, schema: str | None = None, durable: str | None = None,
                     one_off: bool = False) -> ConsumerOptions:
    """`one_off`: a build into fresh tables (a rebuild's), which may commit asynchronously."""
    subjects = Subjects(settings.org, settings.subject_prefix)
    options = task_events(subjects, name=settings.consumer_name, schema=schema or settings.db_schema,
                          batch_size=settings.batch_size)
    return replace(options, durable=durable, synchronous_commit=not one_off)


def reporting_consumer(nc: Client, settings: ReportingSettings, *, schema: str | None = None,
                       durable: str | None = None, one_off: bool = False) -> StreamConsumer:
    """The consumer writing every read model into `schema` (the live one by default)."""
    options = consumer_options(settings, schema=schema, durable=durable, one_off=one_off)
    return StreamConsumer(nc, settings.database_url, options, ReportingHandler(options.schema))


async def ensure_events_stream(nc: Client, settings: ReportingSettings) -> None:
    """Creates the events stream if nobody has yet (the publisher owns its settings: never update it)."""
    subjects = Subjects(settings.org, settings.subject_prefix)
    js = nc.jetstream()
    with contextlib.suppress(NotFoundError):
        await js.stream_info(subjects.events_stream)
        return
    await js.add_stream(stream_config(subjects.events_stream, [subjects.all_task_events], settings.stream_replicas))
