"""Message → Delivery: the CloudEvents envelope, then the task contract it carries."""

from __future__ import annotations

from dataclasses import dataclass

from nats.aio.msg import Msg
from pydantic import ValidationError

from shared.contracts.v1 import parse_task_event
from shared.envelope import CloudEvent, InvalidEnvelope, task_event_type
from shared.storable import needs_cleaning, storable, storable_model
from shared.stream_consumer.order import Delivery


@dataclass(frozen=True)
class Rejected:
    sequence: int
    subject: str
    reason: str
    headers: dict[str, str]
    data: bytes

    def row(self) -> tuple[int, str, str, dict[str, str], bytes]:
        return self.sequence, self.subject, self.reason, self.headers, self.data


def decode(sequence: int, subject: str, headers: dict[str, str], data: bytes) -> Delivery | Rejected:
    try:
        envelope = CloudEvent.from_message(headers, data)
        event = parse_task_event(data)
        if needs_cleaning(data):  # the translation boundary of every consumer: see shared.storable
            event = storable_model(event)
    except (InvalidEnvelope, ValidationError) as error:
        return Rejected(sequence, subject, _short(error), headers, data)
    delivery = Delivery(sequence=sequence, subject=subject, envelope=envelope, event=event, headers=headers)
    if envelope.type != task_event_type(delivery.type):
        return Rejected(sequence, subject, f"ce-type {envelope.type!r} does not match the data's type "
                                           f"{delivery.type!r}", headers, data)
    return delivery


def decode_message(msg: Msg, sequence: int) -> Delivery | Rejected:
    return decode(sequence, msg.subject, dict(msg.headers or {}), msg.data)


def _short(error: Exception) -> str:
    text = storable(str(error))
    return text if len(text) <= 500 else text[:497] + "..."
