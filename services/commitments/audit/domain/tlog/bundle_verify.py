"""The offline verifier of a transparency-log bundle: the file, the log's verifier key, the witnesses' keys
and the quorum — nothing else (no database, no network).

It refuses any change: the file must be in its exported canonical form; the checkpoint must open with the
log's key and carry the quorum of witness cosignatures; every event's content must hash to its entry's
content field; a task bundle's entries must be proven by their inclusion proofs; a unit, year or program
bundle's full list of entries must rebuild the checkpoint's root, and the bundle must hold every event of
every task the scope covers (completeness).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from commitments.audit.domain.bundle_format import BundleInvalid, read_exported
from commitments.audit.domain.encoding import EncodingError, array, integer, mapping, text
from commitments.audit.domain.merkle import MerkleTree, verify_inclusion
from commitments.audit.domain.tlog.checkpoint import TreeHead, parse_body
from commitments.audit.domain.tlog.cosign import cosigners
from commitments.audit.domain.tlog.entry import Entry, evidence_hashes, leaf_hash
from commitments.audit.domain.tlog.note import NoteError, Verifier, open_note
from commitments.audit.domain.tlog.scope import FORMAT, TlogScope


@dataclass(frozen=True)
class BundleEvent:
    index: int
    entry: Entry
    body: bytes


@dataclass
class TlogBundleReport:
    scope: TlogScope
    head: TreeHead
    cosigned_by: list[str]
    events: list[BundleEvent] = field(default_factory=list)
    forged: list[int] = field(default_factory=list)  # positions the sealer logged without a valid signature

    @property
    def tasks(self) -> int:
        return len({e.entry.originator_id for e in self.events})


def unb64(value: object, where: str) -> bytes:
    raw = text(value, where)
    try:
        data = base64.b64decode(raw, validate=True)
    except binascii.Error:
        raise EncodingError(f"{where}: expected base64") from None
    if base64.b64encode(data).decode() != raw:
        raise EncodingError(f"{where}: not in canonical base64")
    return data


def verify_tlog_bundle(text_: str, log_key: Verifier, witnesses: list[Verifier], quorum: int) -> TlogBundleReport:
    document = read_exported(text_)
    try:
        return _verify(document, log_key, witnesses, quorum)
    except (EncodingError, NoteError) as error:
        raise BundleInvalid(str(error)) from None


def _scope(value: object) -> TlogScope:
    kind = mapping(value, "scope", set(value) if isinstance(value, dict) else set()).get("kind")
    if kind == "program":
        mapping(value, "scope", {"kind"})
        return TlogScope("program")
    if kind == "task":
        d = mapping(value, "scope", {"kind", "task_id"})
        try:
            return TlogScope("task", task_id=UUID(text(d["task_id"], "scope.task_id")))
        except ValueError:
            raise EncodingError("scope.task_id: expected a UUID") from None
    if kind == "unit":
        return TlogScope("unit", unit=text(mapping(value, "scope", {"kind", "unit"})["unit"], "scope.unit"))
    if kind == "year":
        return TlogScope("year", year=integer(mapping(value, "scope", {"kind", "year"})["year"], "scope.year"))
    raise EncodingError("scope.kind: expected task, unit, year or program")


def _event(value: object, where: str) -> tuple[BundleEvent, list[bytes]]:
    if not isinstance(value, dict):
        raise EncodingError(f"{where}: expected an object")
    content = "body" if "body" in value else "body_b64"
    d = mapping(value, where, {"index", "entry", content, "proof"})
    body = text(d["body"], f"{where}.body").encode() if content == "body" else unb64(d["body_b64"], f"{where}.body")
    try:
        entry = Entry.decode(unb64(d["entry"], f"{where}.entry"))
    except ValueError as error:
        raise EncodingError(f"{where}.entry: {error}") from None
    if hashlib.sha256(body).digest() != entry.content:
        raise BundleInvalid(f"{where}: the content does not match its logged entry")
    if evidence_hashes(body) != entry.evidence:
        raise BundleInvalid(f"{where}: the evidence files logged are not the ones its content names")
    proof = [unb64(h, f"{where}.proof") for h in array(d["proof"], f"{where}.proof")]
    return BundleEvent(integer(d["index"], f"{where}.index"), entry, body), proof


def _verify(document: Any, log_key: Verifier, witnesses: list[Verifier], quorum: int) -> TlogBundleReport:
    d = mapping(document, "bundle", {"format", "scope", "checkpoint", "log", "events"})
    if d["format"] != FORMAT:
        raise BundleInvalid(f"format: expected {FORMAT}")
    note = open_note(text(d["checkpoint"], "checkpoint"), [log_key])
    head = parse_body(note.body)
    if head.origin != log_key.name:
        raise BundleInvalid("checkpoint: another log's origin")
    signed_by = sorted(cosigners(note, witnesses))
    if len(signed_by) < quorum:
        raise BundleInvalid(f"checkpoint: {len(signed_by)} of the {quorum} witness cosignatures required")
    report = TlogBundleReport(_scope(d["scope"]), head, signed_by)
    parsed = [_event(e, f"events[{i}]") for i, e in enumerate(array(d["events"], "events"))]
    report.events = [e for e, _ in parsed]
    indexes = [e.index for e in report.events]
    if indexes != sorted(set(indexes)) or any(i >= head.size for i in indexes):
        raise BundleInvalid("events: positions must increase and lie inside the checkpoint")
    if report.scope.kind == "task":
        _task(report, parsed)
    else:
        _complete(report, [unb64(e, "log") for e in array(d["log"], "log")])
    report.forged = [e.index for e in report.events if not e.entry.signed]
    return report


def _task(report: TlogBundleReport, parsed: list[tuple[BundleEvent, list[bytes]]]) -> None:
    for event, proof in parsed:
        if event.entry.originator_id != report.scope.task_id:
            raise BundleInvalid(f"event at {event.index}: another task's")
        if not verify_inclusion(event.index, report.head.size, leaf_hash(event.entry.encode()), proof,
                                report.head.root):
            raise BundleInvalid(f"event at {event.index}: its inclusion proof does not lead to the checkpoint")
    versions = [e.entry.originator_version for e in report.events]
    if versions != list(range(1, len(versions) + 1)):
        raise BundleInvalid("events: the task's versions are not 1, 2, … without a gap")


def _complete(report: TlogBundleReport, log: list[bytes]) -> None:
    if len(log) != report.head.size or MerkleTree([leaf_hash(e) for e in log]).root() != report.head.root:
        raise BundleInvalid("log: the entries do not rebuild the checkpoint's root")
    try:
        entries = [Entry.decode(e) for e in log]
    except ValueError as error:
        raise BundleInvalid(f"log: {error}") from None
    tasks = report.scope.tasks(entries)
    wanted = [i for i, e in enumerate(entries) if tasks is None or e.originator_id in tasks]
    if [e.index for e in report.events] != wanted:
        missing = sorted(set(wanted) - {e.index for e in report.events})
        raise BundleInvalid(f"events: the bundle is not complete for its scope (missing positions {missing[:10]})")
    if any(entries[e.index] != e.entry for e in report.events):
        raise BundleInvalid("events: an event's entry differs from the log's")
