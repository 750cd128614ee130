"""`camket program import FILE --year 2026 [--json]`: a notice → the draft program, printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from commitments.domain.errors import InvalidValue


def register(root: typer.Typer) -> None:
    program = typer.Typer(help="The yearly program: import a notice into a draft.", no_args_is_help=True)
    root.add_typer(program, name="program")

    @program.command("import")
    def import_notice(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".txt, .docx or .pdf")],
                      year: Annotated[int, typer.Option(min=2000, max=2100, help="The program year")],
                      as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
        """Read a notice and print the draft tasks found in it (nothing is registered)."""
        from commitments.importer import import_file

        try:
            draft = import_file(file, year)
        except InvalidValue as error:
            typer.echo(f"camket program import: {error}", err=True)
            raise typer.Exit(2) from None
        if as_json:
            typer.echo(json.dumps({"tasks": [_public(t) for t in draft.to_json()["tasks"]]}, ensure_ascii=False,
                                  indent=2))
            return
        _table(draft.to_json()["tasks"])


def _public(task: dict[str, object]) -> dict[str, object]:
    """The draft as the CLI promises it: the target without its wording, the rest as the dataclass has it."""
    target = dict(task["target"])  # type: ignore[call-overload]
    target.pop("text", None)
    return {**task, "target": target}


def _table(tasks: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Dự thảo chương trình: {len(tasks)} nhiệm vụ", show_lines=True)
    for column in ("#", "Đơn vị", "Nhiệm vụ", "Chỉ tiêu", "Thời hạn", "Tin cậy"):
        table.add_column(column)
    for i, task in enumerate(tasks, 1):
        target: dict[str, object] = task["target"]  # type: ignore[assignment]
        deadline: dict[str, object] = task["deadline"]  # type: ignore[assignment]
        title = str(task["title"])
        table.add_row(str(i), str(task["unit"] or "?"), title if len(title) < 160 else title[:157] + "…",
                      str(target.get("text") or target["kind"]), str(deadline["text"] or "cả năm"),
                      f"{float(task['confidence']):.0%}".replace(".", ","))  # type: ignore[arg-type]
    Console().print(table)
