"""Naming the first change: edited, deleted, inserted or reordered, from the row found at a position and
the event the sealer sealed there."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from commitments.audit.domain.findings import Finding
from commitments.audit.domain.leaves import decode_row, row_digest
from commitments.audit.domain.seals import Seal, SealRecords

Locate = Callable[[UUID, int], "int | None"]  # where a task version now stands (notification id), if anywhere


class ChangeClassifier:
    def __init__(self, seals: SealRecords, locate: Locate) -> None:
        self.seals, self.locate = seals, locate
        self._by_nid: dict[int, Seal] | None = None

    def known(self, nid: int, blob: bytes) -> Seal | None:
        """The seal record of exactly these bytes under this notification id, wherever it was sealed."""
        if self._by_nid is None:
            self._by_nid = {s.notification_id: s for s in self.seals.full()}
        seal = self._by_nid.get(nid)
        return seal if seal is not None and row_digest(blob, seal.signed) == seal.digest else None

    def classify(self, position: int, nid: int, blob: bytes) -> Finding:
        seal = self.seals.full()[position]
        sealed = f"task {seal.originator_id} version {seal.originator_version} (notification id {seal.notification_id})"
        try:
            row = decode_row(blob)
        except ValueError:
            return Finding("edited", f"the row here is no longer a stored event; {sealed} was sealed here",
                           position=position, notification_id=nid)
        kind, detail, subject = self._what_happened(nid, row.originator_id, row.originator_version, seal, sealed)
        task_id, version = (row.originator_id, row.originator_version) if subject == "row" else (
            seal.originator_id, seal.originator_version)
        return Finding(kind, detail, position=position, notification_id=nid, task_id=task_id, version=version)

    def _what_happened(self, nid: int, task_id: UUID, version: int, seal: Seal, sealed: str) -> tuple[str, str, str]:
        """(kind, detail, whose identity to report: the row found here or the event sealed here)."""
        if nid == seal.notification_id:
            if (task_id, version) == (seal.originator_id, seal.originator_version):
                return "edited", f"{sealed} was changed after it was sealed", "row"
            moved = self.locate(seal.originator_id, seal.originator_version)
            if moved is not None:
                return "reordered", f"{sealed} now stands at notification id {moved}; another event took its place", \
                    "row"
            return "edited", f"{sealed} was replaced by another event", "row"
        if nid < seal.notification_id:
            if self.known_elsewhere(nid) or self.sealed_as(task_id, version):
                return "reordered", f"an event sealed elsewhere now stands before {sealed}", "row"
            return "inserted", f"a row that was not in the log when it was sealed stands before {sealed}", "row"
        moved = self.locate(seal.originator_id, seal.originator_version)
        if moved is not None:
            return "reordered", f"{sealed} now stands at notification id {moved}", "seal"
        return "deleted", f"{sealed} is no longer in the log", "seal"

    def known_elsewhere(self, nid: int) -> bool:
        return any(s.notification_id == nid for s in self.seals.full())

    def sealed_as(self, originator_id: UUID, version: int) -> bool:
        return any(s.originator_id == originator_id and s.originator_version == version for s in self.seals.full())
