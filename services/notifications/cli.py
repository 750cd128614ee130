"""`camket serve notifications`: the notifications service (HTTP API and background work);
`camket notifications parked`: the events its consumer could not apply."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from notifications.ops import register as register_ops


def register(root: typer.Typer, serve: typer.Typer) -> None:
    notifications = typer.Typer(help="The notifications service's stores.", no_args_is_help=True)
    root.add_typer(notifications, name="notifications")
    register_ops(notifications)  # camket notifications replay; its parts of camket status and config

    @notifications.command("parked")
    def parked() -> None:
        """List the events the consumer parked (could not apply): sequence, task, version, reason."""
        from notifications.config import NotificationsSettings
        from shared.stream_consumer.parking import print_parked

        settings = NotificationsSettings()
        if asyncio.run(print_parked(settings.database_url, settings.db_schema, settings.consumer_durable)):
            raise typer.Exit(1)

    @serve.command("notifications")
    def serve_notifications(host: Annotated[str | None, typer.Option()] = None,
                            port: Annotated[int | None, typer.Option()] = None,
                            api_only: Annotated[bool, typer.Option(
                                help="Serve HTTP only (a replica beside one that runs the background work)")] = False,
                            ) -> None:
        """Run the notifications service: alerts API on port 8003, event consumer, scheduler, deliveries."""
        import uvicorn

        from notifications.api.app import create_app
        from notifications.bootstrap import build
        from notifications.config import NotificationsSettings
        from shared.observability.logs import setup_logging, uvicorn_log_config
        from shared.telemetry import setup_tracing

        settings = NotificationsSettings()
        setup_logging("notifications", settings.log_format)
        setup_tracing("notifications", settings.otel_exporter, settings.otel_endpoint)
        app = create_app(build(settings), background=not api_only)
        uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_level="info",
                    loop="uvloop", http="httptools", log_config=uvicorn_log_config(settings.log_format))
