"""The rebuild and verify commands, with a progress bar (rich)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from reporting.config import ReportingSettings
from reporting.gc_tuning import tune_gc
from reporting.integration.rebuild import build_schema, drop_schema, fingerprint, rebuild
from shared.messaging import connect
from shared.stream_consumer import ConsumerStats

console = Console()


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(), console=console)


def _tracker(progress: Progress, description: str) -> Callable[[ConsumerStats], None]:
    task = progress.add_task(description, total=None, rate="")

    def update(stats: ConsumerStats) -> None:
        total = stats.delivered + (stats.pending or 0)
        elapsed = progress.tasks[task].elapsed or 0.0
        rate = f"{stats.delivered / elapsed:,.0f} events/s" if elapsed else ""
        progress.update(task, completed=stats.delivered, total=total, rate=rate)

    return update


async def run_rebuild() -> None:
    tune_gc()
    settings = ReportingSettings()
    logging.basicConfig(level=logging.WARNING)
    nc = await connect(settings.nats_url, "camket-reporting-rebuild", attempts=5)
    try:
        with _bar() as progress:
            result = await rebuild(nc, settings, on_progress=_tracker(progress, f"rebuilding {settings.db_schema}"))
    finally:
        await nc.close()
    rate = result.delivered / result.seconds if result.seconds else 0.0
    console.print(f"rebuilt {settings.db_schema}: {result.applied:,} events applied of {result.delivered:,} messages, "
                  f"stream position {result.position:,}, {result.seconds:.1f}s ({rate:,.0f} events/s); swapped in")


async def run_verify() -> bool:
    tune_gc()
    settings = ReportingSettings()
    scratch = f"{settings.db_schema}_verify"
    nc = await connect(settings.nats_url, "camket-reporting-verify", attempts=5)
    try:
        with _bar() as progress:
            await build_schema(nc, settings, scratch, on_progress=_tracker(progress, f"building {scratch}"))
    finally:
        await nc.close()
    async with await psycopg.AsyncConnection.connect(settings.database_url, autocommit=True) as conn:
        live, fresh = await fingerprint(conn, settings.db_schema), await fingerprint(conn, scratch)
        await drop_schema(conn, scratch)
    differing = [t for t in fresh if live.get(t) != fresh[t]]
    if not differing:
        console.print(f"{settings.db_schema} equals a fresh build from the stream")
        return True
    # The live consumer may simply be behind or ahead of the scratch build by a few events.
    console.print(f"{settings.db_schema} differs from a fresh build in: {', '.join(differing)} "
                  f"(positions: live {live['stream_positions']}, fresh {fresh['stream_positions']})")
    return False
