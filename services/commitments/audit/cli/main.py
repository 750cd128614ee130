"""`camket audit …`: the sealer process, verification, bundle export and the offline bundle verifier."""

from __future__ import annotations

import asyncio
import getpass
import json
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from commitments.audit.cli.tlog import check_tlog_bundle
from commitments.audit.cli.tlog import install as install_tlog

if TYPE_CHECKING:
    from commitments.application.service import CommitmentsApp
    from commitments.audit.application.service import AuditService
    from shared.auth.tokens import Principal

audit_app = typer.Typer(help="Audit for the Inspectorate: sealing, verification, bundles.", no_args_is_help=True)
install_tlog(audit_app)  # camket audit tlog-key | tlog-export


def register(root: typer.Typer) -> None:
    root.add_typer(audit_app, name="audit")


@audit_app.command("sealer")
def sealer(once: Annotated[bool, typer.Option(help="Seal what is there, checkpoint, publish, exit")] = False) -> None:
    """Follow the events log: seal each row, sign checkpoints at intervals, publish them on NATS."""
    from commitments.audit.adapters.observed import sealer_probes
    from commitments.audit.adapters.runner import SealerProcess
    from commitments.audit.application.sealer import SealerRefused
    from commitments.audit.bootstrap import build_sealer, read_only_app
    from commitments.audit.config import AuditSettings
    from shared.observability.logs import setup_logging
    from shared.observability.server import OpsServer

    settings = AuditSettings()
    setup_logging("commitments-sealer", settings.log_format)
    app = read_only_app(settings)
    process = SealerProcess(settings, build_sealer(settings, app))

    async def main() -> None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        ops = OpsServer(sealer_probes(process, settings), None if once else settings.sealer_metrics_port)
        await ops.start()
        try:
            await process.run(stop, once=once)  # it waits out a database that goes away
        finally:
            await ops.stop()

    try:
        asyncio.run(main())
    except SealerRefused as refused:
        typer.echo(f"sealer refused: {refused}", err=True)
        raise typer.Exit(2) from None
    finally:
        app.close()


def _service() -> tuple[AuditService, CommitmentsApp]:
    from commitments.audit.bootstrap import build_audit, read_only_app
    from commitments.audit.config import AuditSettings

    settings = AuditSettings()
    app = read_only_app(settings)
    return build_audit(settings, app), app


def write_output(text: str, out: Path | None) -> None:
    """An export to the file asked for, or to standard output."""
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


def _operator() -> Principal:
    from shared.auth.tokens import Principal

    user = getpass.getuser()
    return Principal(user_id=f"cli:{user}", name=user, unit="-", roles=frozenset({"operator"}))


@audit_app.command("verify")
def verify(as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON")] = False,
           witnesses: Annotated[bool, typer.Option(help="Also compare the checkpoints published on NATS")] = True
           ) -> None:
    """Recompute the audit tree; report the first change, forged rows and checkpoint mismatches (exit 1).

    Witnesses that cannot be reached (NATS down or not answering) leave the log not verified: exit 1 too."""
    from commitments.audit.cli.report import print_report

    service, app = _service()
    try:
        published, note = asyncio.run(service.published_checkpoints()) if witnesses else \
            ([], "NATS: not compared (--no-witnesses)")
        report = service.verify(published, note)
        service.record_access(_operator(), "verify", None, {"witnesses": witnesses}, 200)
    finally:
        service.close()
        app.close()
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1) if as_json else print_report(report))
    raise typer.Exit(0 if report.ok else 1)


@audit_app.command("export")
def export(task: Annotated[UUID | None, typer.Option(help="A task's id")] = None,
           unit: Annotated[str | None, typer.Option(help="A unit's code")] = None,
           program: Annotated[bool, typer.Option("--program", help="The whole program")] = False,
           out: Annotated[Path | None, typer.Option(help="File to write (default: standard output)")] = None
           ) -> None:
    """Export an audit bundle (events, proofs, signed checkpoints) that verifies offline."""
    from commitments.audit.domain.bundle_format import Scope
    from commitments.audit.domain.encoding import pretty_json

    if [task is not None, unit is not None, program].count(True) != 1:
        raise typer.BadParameter("give exactly one of --task, --unit, --program")
    scope = Scope("task", task_id=task) if task else Scope("unit", unit=unit) if unit else Scope("program")
    service, app = _service()
    try:
        text = pretty_json(service.export(scope))
        service.record_access(_operator(), "export", str(task or unit or "program"), scope.document(), 200)
    finally:
        service.close()
        app.close()
    write_output(text, out)


@audit_app.command("verify-bundle")
def verify_bundle(file: Path, key: Annotated[Path | None, typer.Option(
        help="Checkpoint public key (PEM); default .camket/keys/checkpoint.pub.pem")] = None,
        log_key: Annotated[str | None, typer.Option(help="Transparency-log bundles: the log's verifier key "
                                                       "(default: `camket audit tlog-key`)")] = None,
        witness: Annotated[list[str] | None, typer.Option(help="A witness's verifier key (repeatable; default: "
                                                               "CAMKET_COMMITMENTS_TLOG_WITNESSES)")] = None,
        quorum: Annotated[int | None, typer.Option(
            help="Cosignatures required (default: CAMKET_COMMITMENTS_TLOG_QUORUM)")] = None,
        evaluation: Annotated[int | None, typer.Option(help="Recompute this year's evaluation from a program or "
                                                            "year bundle")] = None,
        dashboard: Annotated[Path | None, typer.Option(help="The dashboard's evaluation (JSON of "
                                                            "/api/v1/reports/evaluation) to compare with")] = None
        ) -> None:
    """Check a bundle offline with public keys alone (exit 1: invalid, 2: holds forged rows, 3: figures differ
    from the dashboard's)."""
    from commitments.audit.adapters.key_files import load_ring
    from commitments.audit.cli.report import print_bundle
    from commitments.audit.config import AuditSettings
    from commitments.audit.domain.bundle_verify import BundleInvalid
    from commitments.audit.domain.bundle_verify import verify_bundle as check

    try:
        content = file.read_bytes().decode("utf-8")
        if content.startswith('{\n "checkpoint": "') and '"format": "camket.tlog.bundle/1"' in content:
            raise typer.Exit(check_tlog_bundle(content, log_key, witness, quorum, evaluation, dashboard))
        keys = load_ring([key or AuditSettings().checkpoint_public_key_path])
        report = check(content, keys)
    except (BundleInvalid, UnicodeDecodeError) as invalid:
        typer.echo(f"KHÔNG HỢP LỆ / INVALID: {invalid}")
        raise typer.Exit(1) from None
    typer.echo(print_bundle(report))
    raise typer.Exit(2 if report.forged else 0)


@audit_app.command("protect")
def protect(role: Annotated[str, typer.Option(help="The application's database role")]) -> None:
    """Install the append-only triggers and limit the application's role to reading and appending history."""
    import psycopg

    from commitments.audit.adapters.protection import grant_append_only
    from commitments.audit.adapters.protection import protect as install
    from commitments.audit.adapters.schema import TABLES
    from commitments.audit.config import AuditSettings

    settings = AuditSettings()
    events = ["commitments_events", *TABLES]
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        install(conn, settings.db_schema, events, events_table="commitments_events")
        # Snapshots are only ever inserted: the role may not change one (a forged one is ignored anyway).
        grant_append_only(conn, settings.db_schema, role, [*events, "commitments_snapshots"],
                          ["commitments_commands", "commitments_task_summaries"])
    typer.echo(f"{settings.db_schema}: {', '.join(events)} are append-only; {role} may read and append them")
