"""The transparency log's commands: `camket audit tlog-key`, `camket audit tlog-export`, the checking of a
log bundle for `camket audit verify-bundle`, and `camket witness`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer


def install(audit_app: typer.Typer) -> None:
    audit_app.command("tlog-key")(tlog_key)
    audit_app.command("tlog-export")(tlog_export)


def register_witness(root: typer.Typer) -> None:
    root.command("witness")(witness_command)


def tlog_key() -> None:
    """Print the transparency log's verifier key (C2SP signed-note format) for witnesses and inspectors."""
    from commitments.audit.bootstrap import tlog_key as key
    from commitments.audit.config import AuditSettings

    typer.echo(key(AuditSettings()).vkey())


def tlog_export(task: Annotated[UUID | None, typer.Option(help="A task's id")] = None,
                unit: Annotated[str | None, typer.Option(help="A unit's code")] = None,
                year: Annotated[int | None, typer.Option(help="A program year")] = None,
                program: Annotated[bool, typer.Option("--program", help="The whole program")] = False,
                out: Annotated[Path | None, typer.Option(help="File to write (default: standard output)")] = None
                ) -> None:
    """Export a transparency-log bundle (events, proofs, a cosigned checkpoint) that verifies offline."""
    from commitments.audit.cli.main import _operator, _service, write_output
    from commitments.audit.domain.encoding import pretty_json
    from commitments.audit.domain.tlog.scope import TlogScope

    if [task is not None, unit is not None, year is not None, program].count(True) != 1:
        raise typer.BadParameter("give exactly one of --task, --unit, --year, --program")
    scope = (TlogScope("task", task_id=task) if task else TlogScope("unit", unit=unit) if unit
             else TlogScope("year", year=year) if year is not None else TlogScope("program"))
    service, app = _service()
    try:
        text = pretty_json(service.tlog_export(scope))
        service.record_access(_operator(), "tlog_export", str(task or unit or year or "program"), scope.document(),
                              200)
    finally:
        service.close()
        app.close()
    write_output(text, out)


def check_tlog_bundle(content: str, log_key: str | None, witness: list[str] | None, quorum: int | None,
                      year: int | None, dashboard: Path | None) -> int:
    """Checks a transparency-log bundle, prints what it proves (and the evaluation); returns the exit code
    (0 valid, 2 valid with forged rows, 3 figures differ from the dashboard's; BundleInvalid otherwise)."""
    from commitments.audit.bootstrap import tlog_key as configured_key
    from commitments.audit.bootstrap import tlog_witnesses
    from commitments.audit.cli.tlog_report import print_tlog_bundle
    from commitments.audit.config import AuditSettings
    from commitments.audit.domain.bundle_format import BundleInvalid
    from commitments.audit.domain.tlog.bundle_verify import verify_tlog_bundle
    from commitments.audit.domain.tlog.note import Verifier

    settings = AuditSettings()
    log = Verifier.parse(log_key) if log_key else configured_key(settings)
    witnesses = [Verifier.parse(w) for w in witness] if witness else [w for w, _ in tlog_witnesses(settings)]
    required = settings.tlog_required if quorum is None else quorum
    report = verify_tlog_bundle(content, log, witnesses, required)
    typer.echo(print_tlog_bundle(report, required))
    differ = False
    if year is not None:
        from commitments.audit.cli.tlog_report import print_evaluation
        from commitments.audit.domain.tlog.figures import differences, evaluation

        if report.scope.kind not in ("program", "year"):
            raise BundleInvalid("--evaluation needs a complete program or year bundle")
        recomputed = evaluation(report.events, settings.org, year)
        shown = json.loads(dashboard.read_text(encoding="utf-8"))["units"] if dashboard else None
        found = None if shown is None else differences(recomputed, shown)
        typer.echo(print_evaluation(recomputed, year, found))
        differ = bool(found)
    return 3 if differ else 2 if report.forged else 0


def witness_command(state: Annotated[Path, typer.Option(help="The witness's state file (JSON)")],
                    key: Annotated[Path, typer.Option(help="The witness's Ed25519 private key (PEM)")],
                    name: Annotated[str, typer.Option(help="The witness's name, e.g. thanh-tra.qt/witness")],
                    log_key: Annotated[list[str], typer.Option("--log", help="A log's verifier key (repeatable)")],
                    host: Annotated[str, typer.Option()] = "127.0.0.1",
                    port: Annotated[int, typer.Option()] = 8090) -> None:
    """Run a tlog-witness (C2SP): cosigns each checkpoint consistent with the last one it cosigned."""
    import uvicorn

    from commitments.audit.adapters.key_files import load_private_key
    from commitments.audit.adapters.tlog.witness_server import create_witness_app
    from commitments.audit.domain.tlog.cosign import Cosigner
    from commitments.audit.domain.tlog.note import Verifier

    cosigner = Cosigner(name, load_private_key(key))
    typer.echo(f"witness key: {cosigner.verifier.vkey()}", err=True)
    app = create_witness_app(cosigner, [Verifier.parse(k) for k in log_key], state)
    uvicorn.run(app, host=host, port=port, log_level="warning")
