"""The scheduler: time rules fire from here, not only on events.

A tick takes the tasks whose next boundary has passed (`task_facts.next_check_at`, an index), in
batches locked with SKIP LOCKED so replicas share the work, evaluates their rules at "now", stores
the new alerts (those that fired before are skipped, and the unique key would drop them anyway)
with their deliveries, and writes
each task's next boundary, all in one transaction per batch. After downtime the first tick finds
every boundary that passed meanwhile and fires, once, what holds now.
"""

from __future__ import annotations

from functools import partial

from notifications.application.ports import UnitsOfWork
from notifications.application.signals import Signals
from notifications.domain.alerts import Alert, build_alert
from notifications.domain.clock import Clock
from notifications.domain.rules import RuleConfig
from notifications.domain.sweep import evaluate
from shared import faults
from shared.catalog import Organisation


class Scheduler:
    def __init__(self, uow: UnitsOfWork, clock: Clock, org: Organisation, *, defaults: RuleConfig, batch: int = 1000,
                 signals: Signals | None = None) -> None:
        self.uow, self.clock, self.org, self.defaults, self.batch = uow, clock, org, defaults, batch
        self.signals = signals

    async def tick(self) -> list[Alert]:
        now = self.clock()
        fired: list[Alert] = []
        while True:
            async with self.uow() as tx:
                configs = await tx.subscriptions.program_rules()
                tasks = await tx.facts.due(now, self.batch)
                result = evaluate(tasks, now, partial(_config_of, configs, self.defaults))
                before = await tx.alerts.fired_keys([f.task_id for f, _ in result.firings])
                candidates = [build_alert(firing, f, self.org, now) for f, firing in result.firings
                              if (firing.rule, f.task_id, firing.key) not in before]
                subs = await tx.subscriptions.active() if candidates else []
                fired += await tx.alerts.insert(candidates, subs, now)
                await tx.facts.reschedule(result.next_checks)
            if faults.ARMED:
                await faults.batch_done("scheduler")
            if len(tasks) < self.batch:
                break
        if fired and self.signals:
            self.signals.queued()
        return fired


def _config_of(configs: dict[int, RuleConfig], default: RuleConfig, program_year: int) -> RuleConfig:
    return configs.get(program_year, default)
