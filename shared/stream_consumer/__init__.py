"""A durable JetStream consumer of the task events with an exactly-once effect on PostgreSQL.

Any service that keeps state derived from the task events (reporting, notifications) uses it:

    consumer = StreamConsumer(nc, database_url, task_events(subjects, name="reporting", schema="reporting"),
                              handler)
    await consumer.install()          # the position tables, in the handler's schema
    await consumer.run(stop)          # until stop is set; or run(until_caught_up=True) to replay and return

`handler.apply(conn, deliveries)` writes the changes of a batch of decoded events
(`Delivery.event` is the `shared.contracts.v1` model, `Delivery.envelope` the CloudEvent) inside an
open transaction and does not commit. A handler may also offer `plan`, `committed` and `rollback`
(see protocol.BatchHandler) to work out a batch's statements while the previous batch commits —
what makes a rebuild fast; `apply` alone is enough otherwise. The guarantees:

- **Exactly-once effect.** The handler's writes, the stream sequence reached and each task's last
  applied version commit in ONE PostgreSQL transaction; the batch is acked (one ack, AckPolicy.ALL)
  only after that commit. A redelivery or a re-sent event changes nothing: messages at or below the
  committed position, and events at or below their task's applied version, are dropped.
- **The committed position is the source of truth.** At every start (and after any failure) the
  durable consumer is recreated with `deliver_policy=by_start_sequence` at position + 1; the
  server's own ack state is never trusted. If the stream was recreated (its creation time changed,
  or it ends before our position) the position resets to 0 and the task versions drop the replayed
  duplicates.
- **Per-task order.** A task's `task_version` must follow the last applied one. A gap is logged and
  counted (`camket.consumer.gaps`) and the early event is *held* (stored in `stream_held` in the same
  transaction) until the missing version arrives; other tasks keep flowing. A hole in the delivery
  sequence (a message lost in transit during a reconnect) ends the session and repositions, so no
  ack ever covers a message that was not applied.
- **Tracing.** Each message's `traceparent` header continues its trace in a CONSUMER span.
- **One active instance** per (schema, name): replicas wait on a PostgreSQL advisory lock.
- Messages that are not valid task events are stored in `stream_rejected`, logged and skipped.
  Text is made storable when decoded (shared.storable: NUL as "␀"). A valid event that the handler
  cannot apply, alone, is *parked* in `stream_parked` with the position past it (see parking.py):
  counted in `stats.parked`, logged, and never a reason to stop or loop.
- Throughput: one transaction and one ack per batch (up to `batch_size` messages); a batch is decoded
  (and planned) while the one before it is in PostgreSQL. Processes that consume should also call
  something like reporting.gc_tuning.tune_gc (the default GC thresholds halve the rate).

A rebuild that swaps a fresh schema in takes `store.lock_batches(conn, schema, name)` in its swap
transaction: every batch transaction takes that lock first, so no batch straddles the swap.
"""

from __future__ import annotations

from shared.stream_consumer.consumer import StreamConsumer
from shared.stream_consumer.order import Delivery, Gap
from shared.stream_consumer.protocol import BatchHandler, ConsumerOptions, Plan, Reposition
from shared.stream_consumer.stats import ConsumerStats
from shared.subjects import Subjects

__all__ = ["BatchHandler", "ConsumerOptions", "ConsumerStats", "Delivery", "Gap", "Plan", "Reposition",
           "StreamConsumer", "task_events"]


def task_events(subjects: Subjects, *, name: str, schema: str, unit: str | None = None,
                batch_size: int = 500) -> ConsumerOptions:
    """Options for consuming one organisation's task events (all units, or one unit's)."""
    filter_subject = subjects.org_task_events if unit is None else subjects.task_event(unit, "*")
    return ConsumerOptions(name=name, stream=subjects.events_stream, filter_subject=filter_subject, schema=schema,
                           batch_size=batch_size)
