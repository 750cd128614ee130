"""`camket serve commitments`, `camket seed`: the commitments service's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from commitments.audit.cli.main import register as register_audit
from commitments.audit.cli.tlog import register_witness
from commitments.demo.cli import register as register_demo
from commitments.importer.cli import register as register_importer
from commitments.ops import register as register_ops


def register(root: typer.Typer, serve: typer.Typer) -> None:
    register_audit(root)  # camket audit sealer | verify | export | verify-bundle | protect | tlog-key
    register_witness(root)  # camket witness
    register_demo(root)  # camket demo: the training sandbox
    register_ops()  # its parts of camket status and config
    register_importer(root)  # camket program import

    @serve.command("commitments")
    def serve_commitments(host: Annotated[str | None, typer.Option()] = None,
                          port: Annotated[int | None, typer.Option()] = None) -> None:
        """Run the commitments HTTP API (write side)."""
        import uvicorn

        from commitments.config import CommitmentsSettings
        from shared.observability.logs import uvicorn_log_config

        settings = CommitmentsSettings()
        # Each worker is a process with its own writer thread: replicas on one machine, sharing the store.
        uvicorn.run("commitments.api.app:app_from_environment", factory=True, host=host or settings.host,
                    port=port or settings.port, workers=settings.workers, log_level="info",
                    access_log=settings.access_log, loop="uvloop", http="httptools",
                    log_config=uvicorn_log_config(settings.log_format))

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

    @root.command("publisher")
    def publisher() -> None:
        """Publish the event store's events to NATS JetStream, in order, each exactly once (own process)."""
        from commitments.publisher.main import main

        main()

    @root.command("asyncapi")
    def asyncapi(output: Annotated[Path, typer.Option(help="Where to write it")] = Path("docs/asyncapi.yaml"),
                 check: Annotated[bool, typer.Option(help="Only check that the file is current")] = False) -> None:
        """Write the AsyncAPI 3.0 document of the public event stream, generated from the contracts."""
        from shared.asyncapi import render

        text = render()
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                typer.echo(f"{output} is out of date: run `camket asyncapi`", err=True)
                raise typer.Exit(1)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")
