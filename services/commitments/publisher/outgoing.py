"""A stored event as it goes out: its public contract as JSON, in a CloudEvents 1.0 envelope (NATS
binary mode), on the subject of its unit and type.

    ce-id = Nats-Msg-Id = the event's stable id (a re-send is dropped by the duplicate window)
    ce-sequence = the event store's notification id (its position in the global log)
    ce-subject = the task id; ce-time = when the event was recorded

The data is the contract as stored, a NUL in a note included (`\u0000` in the JSON). A lone surrogate
cannot be written as UTF-8 JSON at all (only a row written into the table by hand can hold one): such
an event goes out made storable (shared.storable: U+FFFD for the surrogate, "␀" for any NUL in it),
rather than stopping the publisher on it for good.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from pydantic_core import PydanticSerializationError

from commitments.publisher.frames import header_block, parse_block
from shared.contracts.v1 import EVENT_TYPES, TaskEventV1
from shared.envelope import CloudEvent, dataschema, task_event_source, task_event_type
from shared.storable import storable_model
from shared.subjects import Subjects


class Outgoing(NamedTuple):  # a tuple: it crosses from the reading processes, and tuples pickle fast
    notification_id: int
    event_id: str
    subject: str
    header_block: bytes  # the envelope's headers, encoded once for NATS (see `frames`)
    data: bytes
    parent: str | None = None  # traceparent of the request that recorded the event, if it was traced

    @property
    def headers(self) -> dict[str, str]:
        return parse_block(self.header_block)


_TYPE_NAMES = {cls: name for name, cls in EVENT_TYPES.items()}


def outgoing(notification_id: int, contract: TaskEventV1, subjects: Subjects, parent: str | None = None) -> Outgoing:
    return envelope(notification_id, _TYPE_NAMES[type(contract)], contract.event_id, contract.org, contract.task_id,
                    contract.unit, contract.recorded_at, _json(contract), subjects, parent)


def envelope(notification_id: int, event_type: str, event_id: UUID, org: str, task_id: UUID, unit: str,
             recorded_at: datetime, data: bytes, subjects: Subjects, parent: str | None = None) -> Outgoing:
    """The message of an event whose contract is already JSON (`data`)."""
    cloud = CloudEvent(
        id=str(event_id), source=task_event_source(org), type=task_event_type(event_type), time=recorded_at,
        subject=str(task_id), data=data, sequence=notification_id, dataschema=dataschema(event_type))
    return Outgoing(notification_id=notification_id, event_id=cloud.id, subject=subjects.task_event(unit, event_type),
                    header_block=header_block(cloud.headers()), data=data, parent=parent)


def _json(contract: TaskEventV1) -> bytes:
    try:
        return contract.model_dump_json().encode()
    except PydanticSerializationError:  # a lone surrogate: no UTF-8 for it
        return storable_model(contract).model_dump_json().encode()
