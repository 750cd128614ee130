"""The checkpoints a verification compares the log with: those in the database and those the witnesses
published. Each must carry a valid signature of the sealer's key; a published checkpoint missing from the
database, or two valid checkpoints of one size with different roots, are findings of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.findings import Finding
from commitments.audit.domain.keys import KeyRing
from commitments.audit.domain.seals import StoredCheckpoint


def merge_checkpoints(stored: Sequence[StoredCheckpoint], published: Sequence[SignedCheckpoint], keys: KeyRing,
                      log_name: str) -> tuple[list[SignedCheckpoint], list[Finding]]:
    """The validly signed checkpoints of this log from both sources, and what is wrong with the rest."""
    findings: list[Finding] = []
    valid = {(c.tree_size, c.checkpoint.root): c for c in _stored(stored, keys, log_name, findings)}
    in_database = set(valid)
    for signed in published:
        key = (signed.tree_size, signed.checkpoint.root)
        if not signed.verify(keys):
            findings.append(Finding("checkpoint_invalid", f"a published checkpoint of {signed.tree_size} events "
                                                          "carries no valid signature of the sealer",
                                    tree_size=signed.tree_size))
            continue
        if key not in in_database:
            findings.append(Finding("checkpoint_missing", f"the checkpoint of {signed.tree_size} events issued at "
                                                          f"{signed.checkpoint.issued_at.isoformat()} was published "
                                                          "but is not in the database", tree_size=signed.tree_size))
        valid[key] = signed
    sizes = [size for size, _ in valid]
    findings += [Finding("checkpoint_conflict", f"two validly signed checkpoints of {size} events have different "
                                                "roots", tree_size=size)
                 for size in sorted({s for s in sizes if sizes.count(s) > 1})]
    return sorted(valid.values(), key=lambda c: c.tree_size), findings


def _stored(stored: Sequence[StoredCheckpoint], keys: KeyRing, log_name: str,
            findings: list[Finding]) -> list[SignedCheckpoint]:
    valid = []
    for row in stored:
        signed = row.parse()
        if signed is None or signed.checkpoint.log != log_name or not signed.verify(keys):
            findings.append(Finding("checkpoint_invalid", f"the stored checkpoint of {row.tree_size} events is "
                                                          "not one the sealer signed for this log",
                                    tree_size=row.tree_size))
        else:
            valid.append(signed)
    return valid
