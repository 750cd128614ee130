"""`camket demo`: fills the sandbox (schemas demo_*, subject prefix demo) with a simulated year."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from commitments.demo.runner import DEFAULT_NOW, SANDBOX_PREFIX

SANDBOX_SCHEMA = f"{SANDBOX_PREFIX}_commitments"


def register(root: typer.Typer) -> None:
    @root.command("demo")
    def demo(seed: Annotated[int, typer.Option(help="Seed of the random year (the same seed, the same year)")] = 2025,
             today: Annotated[str, typer.Option(help="The simulated 'now' (YYYY-MM-DD) the year is played up to")
                              ] = DEFAULT_NOW.isoformat(),
             schema: Annotated[str, typer.Option(help="The sandbox's commitments schema (must start with demo)")
                               ] = SANDBOX_SCHEMA) -> None:
        """Play a plausible year of the 2025 program into the training sandbox ("Dữ liệu mô phỏng")."""
        from commitments.bootstrap import build_app, build_evidence_store
        from commitments.config import CommitmentsSettings
        from commitments.demo.runner import NotASandbox, check_sandbox, play_year
        from commitments.evidence.service import EvidenceService

        try:
            check_sandbox(schema)
        except NotASandbox as error:
            raise typer.BadParameter(str(error), param_hint="--schema") from None
        settings = CommitmentsSettings(db_schema=schema)
        app = build_app(settings)
        store = build_evidence_store(settings)
        try:
            report = play_year(app, EvidenceService(store, settings.evidence_max_bytes), settings.org, seed=seed,
                               today=date.fromisoformat(today))
        finally:
            store.close()
            app.close()
        refused = ", ".join(f"{name} {n}" for name, n in sorted(report.refused.items())) or "none"
        typer.echo(f"demo year (seed {seed}, up to {today}) into schema {schema}: {report.accepted} commands "
                   f"recorded, refused by the rules: {refused}")
        for reason in report.reasons:
            typer.echo(f"  refused {reason}")
