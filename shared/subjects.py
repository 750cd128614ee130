"""NATS subject and stream names. The organisation code is part of every subject, so a second
department can join the same deployment without migrating history.

    <prefix>.v1.<org>.events.<unit>.<EventType>   task events (stream <PREFIX>_EVENTS)
    <prefix>.v1.<org>.alerts.<unit>.<rule>        alerts (stream <PREFIX>_ALERTS)
    <prefix>.v1.<org>.audit.checkpoints           signed checkpoints of the event log (stream <PREFIX>_AUDIT)

Subscribers filter with wildcards: every event of one unit `camket.v1.qt-skhcn.events.vp.>`, one
kind everywhere `camket.v1.*.events.*.TargetRevised`. Tests use their own prefix so that their
streams never overlap the developer's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subjects:
    org: str
    prefix: str = "camket"

    def task_event(self, unit: str, event_type: str) -> str:
        return f"{self.prefix}.v1.{self.org}.events.{unit}.{event_type}"

    def alert(self, unit: str, rule: str) -> str:
        return f"{self.prefix}.v1.{self.org}.alerts.{unit}.{rule}"

    @property
    def checkpoints(self) -> str:
        return f"{self.prefix}.v1.{self.org}.audit.checkpoints"

    @property
    def all_task_events(self) -> str:
        """What the events stream captures: every organisation's task events."""
        return f"{self.prefix}.v1.*.events.>"

    @property
    def org_task_events(self) -> str:
        return f"{self.prefix}.v1.{self.org}.events.>"

    @property
    def all_alerts(self) -> str:
        return f"{self.prefix}.v1.*.alerts.>"

    @property
    def all_checkpoints(self) -> str:
        return f"{self.prefix}.v1.*.audit.checkpoints"

    @property
    def events_stream(self) -> str:
        return f"{self._stream_prefix}_EVENTS"

    @property
    def alerts_stream(self) -> str:
        return f"{self._stream_prefix}_ALERTS"

    @property
    def audit_stream(self) -> str:
        return f"{self._stream_prefix}_AUDIT"

    @property
    def _stream_prefix(self) -> str:
        return self.prefix.upper().replace("-", "_")
