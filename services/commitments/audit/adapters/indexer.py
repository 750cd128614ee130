"""The index of changes the Inspectorate searches (actor, unit, kind, recorded and effective time).

The sealer writes it in the same transaction as the seals, from the same rows, so the index never runs
ahead of or behind the sealed log. Each row is the public event (contract v1) of one change; building
it needs the task as it was before the change, which comes from a small cache or, after a restart, from
the nearest snapshot. Only rows with a valid service signature are indexed; a row that cannot be read
is logged and skipped, never allowed to stop the sealing. Text is stored as shared.storable says (a NUL
as "␀"), and a row PostgreSQL still refuses is logged and left out of the index, alone — the seals of
the batch commit all the same, so the log and `verify` are never held up by what an event says.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from commitments.application.service import CommitmentsApp
from commitments.audit.adapters.reader import TaskReader
from commitments.audit.adapters.schema import CHANGES, AuditTables
from commitments.audit.adapters.store import Conn
from commitments.audit.domain.leaves import LogRow
from commitments.audit.domain.seals import Seal
from commitments.domain.task import Task
from commitments.integration.translator import translate
from shared.storable import storable_model
from shared.vn import fold

log = logging.getLogger(__name__)
TASK_TOPIC = "commitments.domain.task:Task."
COLUMNS = ("notification_id", "position", "task_id", "version", "kind", "org", "program_year", "task_ref", "unit",
           "actor_id", "actor_name", "actor_folded", "actor_unit", "actor_role", "recorded_at", "effective_at",
           "target_lowered", "deadline_extended", "approval_document", "approved_by", "approved_on", "reason",
           "event")


class ChangeIndexer:
    def __init__(self, app: CommitmentsApp, tables: AuditTables, cache_size: int = 10_000) -> None:
        self.reader = TaskReader(app, keys=None)  # the sealer has checked the signatures of what it passes
        self.tables = tables
        self._cache: OrderedDict[UUID, Task] = OrderedDict()
        self._cache_size = cache_size
        self.skipped = 0  # rows PostgreSQL refused to index (logged)

    def __call__(self, conn: Conn, rows: Sequence[LogRow], seals: Sequence[Seal]) -> None:
        records = []
        for row, seal in zip(rows, seals, strict=True):
            if not seal.signed or not row.topic.startswith(TASK_TOPIC):
                continue
            try:
                records.append(self.record(row, seal))
            except Exception:  # a row the domain cannot read must not stop the sealing
                log.exception("change index: skipped task %s version %s", row.originator_id,
                              row.originator_version)
                self._cache.pop(row.originator_id, None)
        if not records:
            return
        try:
            with conn.transaction():  # a savepoint: the seals of this batch stay whatever happens here
                self._copy(conn, records)
        except psycopg.DataError:
            for record in records:  # one at a time, to leave out only the rows PostgreSQL refuses
                try:
                    with conn.transaction():
                        self._copy(conn, [record])
                except psycopg.DataError as error:
                    self.skipped += 1
                    log.error("change index: left out notification %s (task %s version %s): %s", record[0],
                              record[2], record[3], error)

    def _copy(self, conn: Conn, records: Sequence[tuple[Any, ...]]) -> None:
        query = SQL("COPY {} ({}) FROM STDIN").format(self.tables.name(CHANGES),
                                                   SQL(", ").join(Identifier(c) for c in COLUMNS))
        with conn.cursor() as curs, curs.copy(query) as copy:
            for record in records:
                copy.write_row(record)

    def record(self, row: LogRow, seal: Seal) -> tuple[Any, ...]:
        event = cast("Task.Event", self.reader.mapper.to_domain_event(StoredEvent(
            originator_id=row.originator_id, originator_version=row.originator_version, topic=row.topic,
            state=row.state)))
        task = cast("Task", event.mutate(self._before(event)))
        self._remember(task)
        public = storable_model(translate(event, task))  # what PostgreSQL cannot hold, made storable
        data = public.model_dump(mode="json")
        actor, approval = public.actor, data.get("approval") or {}
        return (row.notification_id, seal.position, row.originator_id, row.originator_version, data["type"],
                public.org, public.program_year, public.task_ref, public.unit, actor.user_id, actor.name,
                fold(actor.name), actor.unit, actor.role, public.recorded_at, public.effective_at,
                bool(data.get("target_lowered")), bool(data.get("deadline_extended")), approval.get("document"),
                approval.get("approved_by"), approval.get("signed_on"), data.get("reason"),
                public.model_dump_json())

    def _before(self, event: Task.Event) -> Task | None:
        version = event.originator_version
        if version == 1:
            return None
        cached = self._cache.get(event.originator_id)
        if cached is not None and cached.version == version - 1:
            return cached
        return self.reader.task_at(event.originator_id, version - 1)

    def _remember(self, task: Task) -> None:
        self._cache[task.id] = task
        self._cache.move_to_end(task.id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
