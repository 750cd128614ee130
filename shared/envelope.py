"""CloudEvents 1.0 over NATS, binary content mode: the attributes travel as `ce-*` headers and the
data (the contract as JSON) is the message body. `ce-id` is the event's stable id and is also the
`Nats-Msg-Id` header, so a re-sent event is dropped by JetStream's duplicate window.
`ce-sequence` is the event store's notification id (the position in the global log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SPECVERSION = "1.0"
REQUIRED = ("ce-specversion", "ce-id", "ce-source", "ce-type", "ce-time", "ce-subject", "content-type")


@dataclass(frozen=True)
class CloudEvent:
    id: str
    source: str
    type: str
    time: datetime
    subject: str
    data: bytes
    sequence: int | None = None
    dataschema: str | None = None
    traceparent: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {
            "ce-specversion": SPECVERSION, "ce-id": self.id, "ce-source": self.source, "ce-type": self.type,
            "ce-time": self.time.isoformat().replace("+00:00", "Z"), "ce-subject": self.subject,
            "content-type": "application/json", "Nats-Msg-Id": self.id,
        }
        if self.sequence is not None:
            headers["ce-sequence"] = str(self.sequence)
        if self.dataschema:
            headers["ce-dataschema"] = self.dataschema
        if self.traceparent:
            headers["traceparent"] = self.traceparent
        return headers

    @classmethod
    def from_message(cls, headers: dict[str, str] | None, data: bytes) -> CloudEvent:
        """Reads a message in binary mode; raises InvalidEnvelope naming a missing or bad attribute."""
        h = headers or {}
        missing = [name for name in REQUIRED if not h.get(name)]
        if missing:
            raise InvalidEnvelope(f"missing CloudEvents attributes: {', '.join(missing)}")
        if h["ce-specversion"] != SPECVERSION:
            raise InvalidEnvelope(f"unsupported ce-specversion {h['ce-specversion']!r}")
        try:
            time = datetime.fromisoformat(h["ce-time"].replace("Z", "+00:00"))
            sequence = int(h["ce-sequence"]) if h.get("ce-sequence") else None
        except ValueError as error:
            raise InvalidEnvelope(f"bad ce-time or ce-sequence: {error}") from None
        return cls(id=h["ce-id"], source=h["ce-source"], type=h["ce-type"], time=time, subject=h["ce-subject"],
                   data=data, sequence=sequence, dataschema=h.get("ce-dataschema"), traceparent=h.get("traceparent"))


class InvalidEnvelope(ValueError):
    pass


def task_event_type(event_type: str, version: int = 1) -> str:
    """ce-type of a task event, e.g. 'vn.camket.task.TargetRevised.v1'."""
    return f"vn.camket.task.{event_type}.v{version}"


def task_event_source(org: str) -> str:
    return f"/camket/{org}/commitments"


def dataschema(event_type: str, version: int = 1) -> str:
    return f"urn:camket:schema:task:{event_type}:v{version}"
