"""What the sealer recorded per row (a seal) and per tree size (a checkpoint), as the stores hand them over."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.encoding import EncodingError


@dataclass(frozen=True, slots=True)
class Seal:
    position: int
    notification_id: int
    originator_id: UUID
    originator_version: int
    chain: bytes
    digest: bytes
    signed: bool


@dataclass
class SealRecords:
    """The sealed chain values and verdicts in position order; the full records are read only when a finding
    needs them."""

    chains: list[bytes]
    signed: list[bool]
    load: Callable[[], Sequence[Seal]]
    contiguous: bool = True  # positions 0..n-1 without a gap (a gap means someone deleted seal records)
    _full: Sequence[Seal] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, seals: Sequence[Seal]) -> SealRecords:
        return cls([s.chain for s in seals], [s.signed for s in seals], lambda: seals,
                   all(s.position == i for i, s in enumerate(seals)), seals)

    def __len__(self) -> int:
        return len(self.chains)

    def full(self) -> Sequence[Seal]:
        if self._full is None:
            self._full = self.load()
        return self._full


@dataclass(frozen=True)
class StoredCheckpoint:
    tree_size: int
    document: str  # exactly as stored; parsed (and its signature checked) by whoever uses it

    def parse(self) -> SignedCheckpoint | None:
        try:
            return SignedCheckpoint.from_document(json.loads(self.document))
        except (ValueError, EncodingError):
            return None
