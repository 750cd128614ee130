"""How the domain's value objects are written into stored events (JSON via the library's transcoder).

Pure: the stored form is part of the events' format, read by both task storages and by the audit's
offline figures (no database); the names are in every stored row and never change (see the README).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from commitments.domain.actor import Actor, Role
from commitments.domain.approvals import Approval
from commitments.domain.deadlines import Deadline, DeadlineKind
from commitments.domain.evidence import EvidenceFile
from commitments.domain.proposals import CompletionRequest, RevisionProposal
from commitments.domain.targets import Target, TargetKind
from shared.periods import PeriodKind, ReportingPeriod


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class FrozenValue(Transcoding):
    """A frozen dataclass as a dict of its fields; enums and nested values are rebuilt on decoding."""

    def __init__(self, cls: type[Any], name: str, enums: dict[str, type[Any]] | None = None) -> None:
        self.type = cls
        self.name = name
        self._enums = enums or {}

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        values = {key: (self._enums[key](value) if key in self._enums and value is not None else value)
                  for key, value in data.items()}
        # JSON has no tuples: a value object's tuple field comes back as a list.
        return self.type(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(FrozenValue(Actor, "actor", {"role": Role}))
    transcoder.register(FrozenValue(Target, "target", {"kind": TargetKind}))
    transcoder.register(FrozenValue(Deadline, "deadline", {"kind": DeadlineKind}))
    transcoder.register(FrozenValue(Approval, "approval"))
    transcoder.register(FrozenValue(ReportingPeriod, "period", {"kind": PeriodKind}))
    transcoder.register(FrozenValue(EvidenceFile, "evidence_file"))
    transcoder.register(FrozenValue(RevisionProposal, "revision_proposal"))
    transcoder.register(FrozenValue(CompletionRequest, "completion_request"))


__all__ = ["DateAsISO", "FrozenValue", "register_domain_transcodings"]
