"""What is waiting for the Board on a task: a unit head's proposed revision, or a completion request.

Both are kept on the task while open so that the task itself shows them (the Board's inbox, the
unit's page) without replaying its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from commitments.domain.actor import Actor
from commitments.domain.deadlines import Deadline
from commitments.domain.evidence import EvidenceFile
from commitments.domain.targets import Target


@dataclass(frozen=True)
class RevisionProposal:
    proposal_id: UUID
    target: Target | None  # None: the target stays
    deadline: Deadline | None  # None: the deadline stays
    reason: str
    evidence_files: tuple[EvidenceFile, ...]
    actor: Actor
    version: int  # the task version the proposal was recorded as


@dataclass(frozen=True)
class CompletionRequest:
    completed_on: date
    note: str
    evidence: tuple[str, ...]
    evidence_files: tuple[EvidenceFile, ...]
    actor: Actor
    version: int
