"""Group commit: commands that arrive together are applied in order and saved in one transaction.

One save per command costs a transaction and an fsync each (~300 commands/s here); saving the
aggregates of many commands at once costs about the same as saving one. A single writer thread
takes whatever has queued while the previous transaction committed, applies each command to its
task in arrival order, and saves every touched task, the commands' records and the task summaries
in one transaction. Each caller gets its own answer: a rule broken by one command fails only that
command.

Aggregates stay cached between batches. A cached task can be stale only if another process wrote
it; then the save violates the (task id, version) key, nothing commits, and the commands are
retried one by one on fresh state. Every command carries a command id (the client's
Idempotency-Key, or a generated one) recorded in the same transaction, so a retry after a lost
commit acknowledgement finds its record and answers from it instead of applying twice.
"""

from __future__ import annotations

import random
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import IntegrityError, PersistenceError

from commitments.application import unit_merger
from commitments.application.commands import ProposeRevision, ReassignUnit, RegisterTask
from commitments.application.handlers import handle
from commitments.application.outcomes import IdempotencyMismatch, Outcome, OutcomeKind, StoreUnavailable, Submission
from commitments.application.permissions import Forbidden, authorize
from commitments.application.ports import TaskStore
from commitments.application.records import CommandRecord
from commitments.domain.clock import Clock, recording_clock, system_clock
from commitments.domain.errors import DomainError, InvalidState, VersionConflict
from commitments.domain.task import Task
from shared import faults

MAX_ATTEMPTS = 8  # against other replicas writing the same task at the same moment


@dataclass
class _Round:
    tasks: dict[UUID, Task] = field(default_factory=dict)  # touched in this round, with pending events
    records: list[CommandRecord] = field(default_factory=list)
    accepted: list[tuple[Submission, Outcome]] = field(default_factory=list)


class CommandBatcher:
    def __init__(self, app: TaskStore, *, clock: Clock = system_clock, cache_size: int = 10_000,
                 shared: bool = False) -> None:
        self.app = app  # the store of tasks (the CommitmentsApp in the service)
        self._clock = clock
        self._shared = shared  # other processes write the same tasks: catch cached ones up before each batch
        self._cache: OrderedDict[UUID, Task] = OrderedDict()
        self._cache_size = cache_size

    def execute(self, batch: list[Submission]) -> None:
        """Runs a batch; every submission's future is resolved when this returns."""
        with recording_clock(self._clock):
            while batch:
                first, repeats = _first_occurrences(batch)
                for group in _rounds(first):
                    self._round(group, attempt=0)
                batch = repeats  # a repeated command id is answered from the record its first made

    def _round(self, batch: list[Submission], attempt: int) -> None:
        work = _Round()
        try:
            live = self._answer_replays(batch, attempt)
            if attempt == 0:
                self._warm([s.command.task_id for s in live
                            if not isinstance(s.command, RegisterTask | ReassignUnit)])
            for sub in live:
                try:
                    self._apply(sub, work, fresh=attempt > 0)
                except (DomainError, Forbidden) as error:
                    sub.future.set_exception(error)
        except PersistenceError as error:  # the store went away while reading: nothing was recorded
            self._evict(work.tasks)  # their cached copies may hold unsaved changes
            for sub in batch:
                if not sub.future.done():
                    sub.future.set_exception(StoreUnavailable(str(error)))
            return
        if work.accepted:
            self._commit(work, attempt)

    def _commit(self, work: _Round, attempt: int) -> None:
        tasks = list(work.tasks.values())
        try:
            self.app.commit(tasks, work.records)
        except IntegrityError:
            self._evict(work.tasks)
            subs = [sub for sub, _ in work.accepted]
            if len(subs) > 1:
                for sub in subs:  # find the one that conflicts; the others go through
                    self._round([sub], attempt=1)
            elif attempt + 1 < MAX_ATTEMPTS:
                time.sleep(random.uniform(0, 0.003 * 2**attempt))  # back off so the other writers' commits land
                self._round(subs, attempt=attempt + 1)
            else:
                subs[0].future.set_exception(InvalidState("the task kept changing under this command; retry",
                                                          "task"))
            return
        except PersistenceError as error:
            self._evict(work.tasks)
            for sub, _ in work.accepted:
                sub.future.set_exception(StoreUnavailable(str(error)))
            return
        for task in tasks:
            self._remember(task)
        if faults.ARMED:
            faults.batch_done_blocking("commands")
        for sub, outcome in work.accepted:
            sub.future.set_result(outcome)

    def _apply(self, sub: Submission, work: _Round, *, fresh: bool) -> None:
        command = sub.command
        if isinstance(command, ReassignUnit):
            return self._apply_merger(sub, command, work, fresh=fresh)
        if isinstance(command, RegisterTask):
            if command.task_id in work.tasks or (fresh and self.app.has_task(command.task_id)):
                raise InvalidState(f"a task with reference {command.ref} is already registered", "ref")
            task, before = handle(command, None, authorize(command, sub.principal, None)), 0
        else:
            touched = work.tasks.get(command.task_id)
            before = len(touched.pending_events) if touched else 0
            task = touched or self._load(command.task_id, fresh=fresh)
            try:
                self._change(sub, task)
            except (DomainError, Forbidden):
                if fresh or touched is not None:
                    raise
                self._cache.pop(command.task_id, None)  # the cached copy may be stale: decide on fresh state
                task = self._load(command.task_id, fresh=True)
                self._change(sub, task)
        work.tasks[task.id] = task
        outcome = Outcome(OutcomeKind.CREATED if isinstance(command, RegisterTask) else OutcomeKind.OK, body={
            "task_id": str(task.id), "ref": task.ref, "version": task.version,
            "events": [type(e).__name__ for e in task.pending_events[before:]]})
        if isinstance(command, ProposeRevision):  # the Board's answer names the proposal
            outcome.body["proposal_id"] = str(command.proposal_id)
        work.records.append(CommandRecord(command_id=sub.command_id, fingerprint=sub.fingerprint,
                                          kind=outcome.kind, response=outcome.body,
                                          task_id=task.id, recorded_at=self._clock(),
                                          first_version=task.version - len(outcome.body["events"]) + 1,
                                          last_version=task.version, traceparent=sub.traceparent))
        work.accepted.append((sub, outcome))

    def _apply_merger(self, sub: Submission, command: ReassignUnit, work: _Round, *, fresh: bool) -> None:
        actor = authorize(command, sub.principal, None)
        rows = self.app.list_summaries(command.org, command.program_year, command.unit)
        task_ids = unit_merger.open_tasks(command, rows)
        try:
            tasks = unit_merger.reassign_all(command, actor, task_ids, lambda i: self._load(i, fresh=fresh))
        except (DomainError, Forbidden):
            self._evict(task_ids)  # the tasks moved before the refusal hold unsaved events
            if fresh:
                raise
            tasks = unit_merger.reassign_all(command, actor, task_ids, lambda i: self._load(i, fresh=True))
        for task in tasks:
            work.tasks[task.id] = task
        outcome = Outcome(OutcomeKind.OK, body=unit_merger.answer(command, tasks))
        work.records.append(CommandRecord(command_id=sub.command_id, fingerprint=sub.fingerprint, kind=outcome.kind,
                                          response=outcome.body, task_id=None, recorded_at=self._clock(),
                                          traceparent=sub.traceparent))
        work.accepted.append((sub, outcome))

    def _change(self, sub: Submission, task: Task) -> None:
        command = sub.command
        actor = authorize(command, sub.principal, task)
        if command.expected_version is not None and command.expected_version != task.version:
            raise VersionConflict(command.expected_version, task.version)
        handle(command, task, actor)

    def _answer_replays(self, batch: list[Submission], attempt: int) -> list[Submission]:
        """Answers the commands already recorded from their records. A command id generated for this
        submission has none on its first attempt (a retry may follow a commit whose answer was lost), so a
        batch of only such commands skips the query: a round trip less per batch."""
        asked = [s.command_id for s in batch if attempt > 0 or not s.new_id]
        records = self.app.find_commands(asked) if asked else {}
        live = []
        for sub in batch:
            record = records.get(sub.command_id)
            if record is None:
                live.append(sub)
            elif record.fingerprint != sub.fingerprint:
                sub.future.set_exception(IdempotencyMismatch(
                    "this Idempotency-Key was already used for a different request"))
            else:
                sub.future.set_result(Outcome(record.kind, record.response, replayed=True))
        return live

    def _load(self, task_id: UUID, *, fresh: bool) -> Task:
        if not fresh and task_id in self._cache:
            self._cache.move_to_end(task_id)
            return self._cache[task_id]
        return self.app.get_task(task_id)

    def _warm(self, task_ids: list[UUID]) -> None:
        """Loads the batch's uncached tasks together (two queries instead of two per task). When other
        processes write too, the cached ones first get what those recorded since (one query): without it
        nearly every batch would meet a stale copy, fail on the version key and retry command by command."""
        wanted = set(task_ids)
        if self._shared:
            try:
                self.app.catch_up([self._cache[i] for i in wanted if i in self._cache])
            except BaseException:
                self._evict(wanted)  # a copy caught up half-way is no one's version
                raise
        missing = [i for i in wanted if i not in self._cache]
        for task in self.app.load_many(missing).values():
            self._remember(task)

    def _remember(self, task: Task) -> None:
        self._cache[task.id] = task
        self._cache.move_to_end(task.id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _evict(self, tasks: Iterable[UUID]) -> None:
        for task_id in tasks:
            self._cache.pop(task_id, None)


def _first_occurrences(batch: list[Submission]) -> tuple[list[Submission], list[Submission]]:
    seen: set[str] = set()
    first: list[Submission] = []
    repeats: list[Submission] = []
    for sub in batch:
        (repeats if sub.command_id in seen else first).append(sub)
        seen.add(sub.command_id)
    return first, repeats


def _rounds(batch: list[Submission]) -> list[list[Submission]]:
    """The batch in arrival order, with each unit merger in a round of its own: its all or nothing must
    not mix with other commands' changes, and a command sent before it is decided before it."""
    groups: list[list[Submission]] = [[]]
    for sub in batch:
        if isinstance(sub.command, ReassignUnit):
            groups += [[sub], []]
        else:
            groups[-1].append(sub)
    return [g for g in groups if g]
