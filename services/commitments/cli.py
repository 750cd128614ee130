"""`camket serve commitments`, `camket seed`: the commitments service's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(root: typer.Typer, serve: typer.Typer) -> None:
    @serve.command("commitments")
    def serve_commitments(host: Annotated[str | None, typer.Option()] = None,
                          port: Annotated[int | None, typer.Option()] = None) -> None:
        """Run the commitments HTTP API (write side)."""
        import uvicorn

        from commitments.api.app import create_app
        from commitments.bootstrap import build
        from commitments.config import CommitmentsSettings
        from shared.telemetry import setup_tracing

        settings = CommitmentsSettings()
        setup_tracing("commitments", settings.otel_exporter, settings.otel_endpoint)
        app = create_app(build(settings))
        uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_level="info",
                    loop="uvloop", http="httptools")

    @root.command("seed")
    def seed(file: Annotated[Path | None, typer.Option(help="Program file (YAML)")] = None) -> None:
        """Register every task of the program file (the 2025 program by default); idempotent."""
        from commitments.application.batching import CommandBatcher
        from commitments.bootstrap import build_app
        from commitments.config import CommitmentsSettings
        from commitments.seed.loader import load

        settings = CommitmentsSettings()
        app = build_app(settings)
        try:
            report = load(CommandBatcher(app), settings.org, file)
        finally:
            app.close()
        typer.echo(f"registered {len(report.registered)}, already there {len(report.unchanged)}, "
                   f"changed in the file since loaded {len(report.conflicting)}, failed {len(report.failed)}")
        for ref, error in report.failed.items():
            typer.echo(f"  {ref}: {error}", err=True)
        for ref in report.conflicting:
            typer.echo(f"  {ref}: edited after loading; change it with a revision, not the file", err=True)
        if report.failed:
            raise typer.Exit(1)
