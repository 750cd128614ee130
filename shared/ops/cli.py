"""`camket status`, `camket config` and the consumers' `replay` command."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Annotated, Any

import typer
import yaml

from shared.ops import registry
from shared.stream_consumer.protocol import ConsumerOptions


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status(as_json: Annotated[bool, typer.Option("--json", help="One JSON document")] = False) -> None:
        """Positions, lags, the last checkpoint and who holds the publisher and sealer leases."""
        report = asyncio.run(_status())
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2) if as_json
                   else yaml.safe_dump(report, allow_unicode=True, sort_keys=False).rstrip())
        if any(isinstance(v, dict) and "error" in v for v in report.values()):
            raise typer.Exit(1)

    @app.command("config")
    def config(service: Annotated[str | None, typer.Argument(
            help="commitments, publisher, sealer, reporting or notifications (all by default)")] = None) -> None:
        """The settings in effect (from the environment, else their defaults), secrets masked."""
        from shared.ops.config import describe

        names = [service] if service else sorted(registry.SETTINGS)
        for name in names:
            if name not in registry.SETTINGS:
                raise typer.BadParameter(f"unknown service {name!r}", param_hint="SERVICE")
            typer.echo(f"# {name}")
            for variable, value, source in describe(registry.SETTINGS[name]()()):
                typer.echo(f"{variable}={value}" + ("" if source == "set" else "  # default"))


async def _status() -> dict[str, Any]:
    from shared.messaging import connect
    from shared.settings import CamketSettings

    settings = CamketSettings()
    report: dict[str, Any] = {"org": settings.org}
    nc = None
    try:
        nc = await asyncio.wait_for(connect(settings.nats_url, "camket-status", attempts=1), 5)
    except Exception as error:  # the rest of the status is still worth showing
        report["nats"] = {"error": f"unreachable ({type(error).__name__}: {error})"}
    try:
        for name, section in sorted(registry.STATUS.items()):
            try:
                report[name] = await section(nc)
            except Exception as error:
                report[name] = {"error": f"{type(error).__name__}: {error}"}
    finally:
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()
    return report


def add_replay(group: typer.Typer, database_url: Callable[[], str], options: Callable[[], ConsumerOptions]) -> None:
    """`camket <service> replay --from-seq N` for the service's consumer (see shared.stream_consumer.replay)."""
    @group.command("replay")
    def replay(from_seq: Annotated[int, typer.Option("--from-seq", min=1, help="The first stream sequence to "
                                                     "deliver again")]) -> None:
        """Move the consumer's committed position back so that its next start re-delivers from a stream
        sequence (exactly once: events already applied are dropped by task version). Stop it first."""
        from shared.stream_consumer.replay import ReplayRefused, replay_from

        try:
            done = asyncio.run(replay_from(database_url(), options(), from_seq))
        except ReplayRefused as refused:
            typer.echo(f"replay refused: {refused}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"consumer {done.consumer}: position {done.before} → {done.after}; its next start delivers "
                   f"from sequence {done.after + 1}")
