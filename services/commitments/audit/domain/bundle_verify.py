"""The offline verifier of an audit bundle: the file and the checkpoint public key, nothing else.

It refuses any change to the file: the text must be the canonical form of its content, every field is
parsed strictly, each event's bytes are rebuilt and hashed into its leaf, each leaf is proven against the
signed checkpoint (or, for a whole-program bundle, the tree is rebuilt from every leaf), the earlier
checkpoints are proven to be prefixes of it, and each task's events are proven complete up to the head
the checkpoint records. Rows that the sealer found without a valid service signature are reported.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from commitments.audit.domain.bundle_format import (
    FORMAT,
    BundleEvent,
    BundleInvalid,
    parse_event,
    parse_head,
    parse_scope,
    read_exported,
)
from commitments.audit.domain.checkpoints import SignedCheckpoint
from commitments.audit.domain.encoding import EncodingError, array, mapping, unhex
from commitments.audit.domain.keys import KeyRing, row_signed
from commitments.audit.domain.leaves import GENESIS
from commitments.audit.domain.merkle import MerkleTree, verify_consistency, verify_inclusion
from commitments.domain.signed_records import split_signed

__all__ = ["BundleInvalid", "BundleReport", "verify_bundle"]

@dataclass
class BundleReport:
    scope: dict[str, Any]
    checkpoint: SignedCheckpoint
    events: int = 0
    tasks: int = 0
    checkpoints: int = 1
    forged: list[dict[str, Any]] = field(default_factory=list)  # rows the log holds without a valid signature


def verify_bundle(text_: str, checkpoint_keys: KeyRing) -> BundleReport:
    document = read_exported(text_)
    try:
        return _verify(document, checkpoint_keys)
    except EncodingError as error:
        raise BundleInvalid(str(error)) from None


def _verify(document: Any, checkpoint_keys: KeyRing) -> BundleReport:
    d = mapping(document, "bundle", {"format", "scope", "checkpoint", "history", "events", "heads"})
    if d["format"] != FORMAT:
        raise BundleInvalid(f"format: expected {FORMAT}")
    main = SignedCheckpoint.from_document(d["checkpoint"])
    if not main.verify(checkpoint_keys):
        raise BundleInvalid("the checkpoint's signature is not valid for the checkpoint public key given")
    report = BundleReport(scope=d["scope"], checkpoint=main)
    report.checkpoints += _history(array(d["history"], "history"), main, checkpoint_keys)
    events = [parse_event(e, f"events[{i}]") for i, e in enumerate(array(d["events"], "events"))]
    _proofs(events, main, parse_scope(d["scope"]))
    _signatures(events, main, report)
    _heads(array(d["heads"], "heads"), events, main, parse_scope(d["scope"]))
    _within_scope(d["scope"], events)
    report.events, report.tasks = len(events), len({e.row.originator_id for e in events})
    return report


def _within_scope(scope: dict[str, Any], events: list[BundleEvent]) -> None:
    """A task bundle is about its task; a unit bundle holds only tasks that belonged to the unit."""
    tasks = {e.row.originator_id for e in events}
    if scope["kind"] == "task" and [str(t) for t in tasks] != [scope["task_id"]]:
        raise BundleInvalid("scope.task_id: the events are not (only) this task's")
    if scope["kind"] == "unit":
        owners: dict[UUID, set[object]] = defaultdict(set)
        for e in events:
            facts = _facts(e.row.state)
            owners[e.row.originator_id] |= {facts.get("unit"), facts.get("from_unit"), facts.get("to_unit")}
        strangers = [str(t) for t, units in owners.items() if scope["unit"] not in units]
        if strangers:
            raise BundleInvalid(f"scope.unit: tasks {strangers} never belonged to unit {scope['unit']}")


def _facts(state: bytes) -> dict[str, Any]:
    parts = split_signed(state)
    try:
        facts = json.loads(parts[0] if parts else state)
    except ValueError:
        return {}
    return facts if isinstance(facts, dict) else {}


def _history(entries: list[Any], main: SignedCheckpoint, keys: KeyRing) -> int:
    sizes = []
    for i, entry in enumerate(entries):
        e = mapping(entry, f"history[{i}]", {"checkpoint", "consistency"})
        old = SignedCheckpoint.from_document(e["checkpoint"], f"history[{i}].checkpoint")
        proof = [unhex(h, f"history[{i}].consistency", 32) for h in array(e["consistency"], "consistency")]
        if not old.verify(keys) or (old.checkpoint.org, old.checkpoint.log) != (main.checkpoint.org,
                                                                                main.checkpoint.log):
            raise BundleInvalid(f"history[{i}]: not a checkpoint of this log signed with the key given")
        if not verify_consistency(old.tree_size, main.tree_size, old.checkpoint.root, main.checkpoint.root, proof):
            raise BundleInvalid(f"history[{i}]: the log of {old.tree_size} events is not a prefix of the checkpoint")
        sizes.append(old.tree_size)
    if sizes != sorted(set(sizes)) or (sizes and sizes[-1] >= main.tree_size):
        raise BundleInvalid("history: checkpoints must be distinct, in order, and older than the bundle's")
    return len(sizes)


def _proofs(events: list[BundleEvent], main: SignedCheckpoint, scope: str) -> None:
    size, root = main.tree_size, main.checkpoint.root
    positions = [e.position for e in events]
    if positions != sorted(set(positions)) or (positions and positions[-1] >= size):
        raise BundleInvalid("events: positions must be distinct, in order, and within the checkpoint")
    if scope == "program":
        if positions != list(range(size)) or any(e.proof for e in events):
            raise BundleInvalid("a program bundle holds every event up to the checkpoint, without proofs")
        chain = GENESIS
        for e in events:
            if e.previous != chain:
                raise BundleInvalid(f"the event at position {e.position} does not follow the one before it")
            chain = e.chain
        if chain != main.checkpoint.chain or MerkleTree([e.leaf for e in events]).root() != root:
            raise BundleInvalid("the events do not chain to the checkpoint: an event was changed")
        return
    for e in events:
        if not verify_inclusion(e.position, size, e.leaf, e.proof, root):
            raise BundleInvalid(f"the event at position {e.position} is not the one the checkpoint covers")


def _signatures(events: list[BundleEvent], main: SignedCheckpoint, report: BundleReport) -> None:
    keys = main.checkpoint.event_ring()
    for e in events:
        valid = row_signed(e.row, keys)
        if e.signed and not valid:
            raise BundleInvalid(f"the event at position {e.position} claims a signature it does not carry")
        if not e.signed or not valid:
            report.forged.append({"position": e.position, "notification_id": e.row.notification_id,
                                  "task_id": str(e.row.originator_id), "version": e.row.originator_version})


def _heads(values: list[Any], events: list[BundleEvent], main: SignedCheckpoint, scope: str) -> None:
    by_task: dict[UUID, list[BundleEvent]] = defaultdict(list)
    for e in events:
        by_task[e.row.originator_id].append(e)
    if scope == "program":
        if values:
            raise BundleInvalid("heads: a program bundle is complete by itself and carries none")
        return
    heads = [parse_head(v, f"heads[{i}]", main) for i, v in enumerate(values)]
    if sorted(h.originator_id for h in heads) != sorted(by_task):
        raise BundleInvalid("heads: exactly one head for each task of the bundle")
    for head in heads:
        mine = by_task[head.originator_id]
        if [e.row.originator_version for e in mine] != list(range(1, head.version + 1)) or \
                mine[-1].position != head.position:
            raise BundleInvalid(f"task {head.originator_id}: the bundle does not hold its versions 1 to "
                                f"{head.version}, the last one the checkpoint records")
    if scope == "task" and len(heads) != 1:
        raise BundleInvalid("a task bundle holds one task")


