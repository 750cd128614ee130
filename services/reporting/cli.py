"""`camket serve reporting`, `camket reporting consume | rebuild | verify | parked`."""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer

from reporting.ops import register as register_ops


def register(root: typer.Typer, serve: typer.Typer) -> None:
    reporting = typer.Typer(help="The reporting service's read models.", no_args_is_help=True)
    root.add_typer(reporting, name="reporting")
    register_ops(reporting)  # camket reporting replay; its parts of camket status and config

    @serve.command("reporting")
    def serve_reporting(host: Annotated[str | None, typer.Option()] = None,
                        port: Annotated[int | None, typer.Option()] = None) -> None:
        """Run the reporting service: the JSON API and the stream consumer that feeds it."""
        import uvicorn

        from reporting.api.app import create_app
        from reporting.bootstrap import build
        from reporting.config import ReportingSettings
        from reporting.gc_tuning import tune_gc
        from shared.observability.logs import setup_logging, uvicorn_log_config
        from shared.telemetry import setup_tracing

        settings = ReportingSettings()
        setup_logging("reporting", settings.log_format)
        setup_tracing("reporting", settings.otel_exporter, settings.otel_endpoint)
        tune_gc()
        uvicorn.run(create_app(build(settings)), host=host or settings.host, port=port or settings.port,
                    log_level="info", loop="uvloop", http="httptools",
                    log_config=uvicorn_log_config(settings.log_format))

    @reporting.command("consume")
    def consume() -> None:
        """Run only the stream consumer (no HTTP): replicas of the API can then run with
        CAMKET_REPORTING_CONSUME=false."""
        asyncio.run(_consume())

    @reporting.command("rebuild")
    def rebuild() -> None:
        """Rebuild every read model from stream sequence 1 into fresh tables and swap them in, while the
        old ones keep serving."""
        from reporting.cli_rebuild import run_rebuild

        asyncio.run(run_rebuild())

    @reporting.command("parked")
    def parked(retry: Annotated[bool, typer.Option(
            "--retry", help="Rebuild the read models first (every event applied again, the parked ones "
                            "included), then list what is still parked")] = False) -> None:
        """List the events the consumer parked (could not apply) and the messages it rejected: sequence,
        task, version, reason; exit 1 if there are any. Once the cause is fixed, --retry applies them."""
        from reporting.config import ReportingSettings
        from shared.stream_consumer.parking import print_parked

        if retry:
            from reporting.cli_rebuild import run_rebuild

            asyncio.run(run_rebuild())
        settings = ReportingSettings()
        if asyncio.run(print_parked(settings.database_url, settings.db_schema, settings.consumer_name)):
            raise typer.Exit(1)

    @reporting.command("verify")
    def verify() -> None:
        """Build the read models afresh beside the live ones and compare: exit 1 if they differ."""
        from reporting.cli_rebuild import run_verify

        if not asyncio.run(run_verify()):
            raise typer.Exit(1)


async def _consume() -> None:
    import psycopg

    from reporting.config import ReportingSettings
    from reporting.gc_tuning import tune_gc
    from reporting.integration.consumer import ensure_events_stream, reporting_consumer
    from reporting.integration.handler import install
    from reporting.observed import reporting_probes
    from shared.messaging import connect
    from shared.observability.logs import setup_logging
    from shared.observability.server import OpsServer
    from shared.telemetry import setup_tracing

    settings = ReportingSettings()
    setup_logging("reporting-consumer", settings.log_format)
    setup_tracing("reporting", settings.otel_exporter, settings.otel_endpoint)
    tune_gc()
    async with await psycopg.AsyncConnection.connect(settings.database_url, autocommit=True) as conn:
        await install(conn, settings.db_schema)
    nc = await connect(settings.nats_url, "camket-reporting-consumer")
    await ensure_events_stream(nc, settings)
    consumer = reporting_consumer(nc, settings)
    ops = OpsServer(reporting_probes(settings, lambda: consumer, lambda: nc, consuming=True,
                                     service="reporting-consumer"), settings.consumer_metrics_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await ops.start()
    try:
        await consumer.run(stop)
    finally:
        await ops.stop()
        await nc.close()
