"""What each Cam kết process is, for the static checks of the compose file, the Dockerfile and the
Kubernetes manifests: its `camket` command resolved against the real CLI, and the environment
variables it reads, derived from its settings classes (never a hand-written list of variables)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

import typer
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from commitments.audit.config import AuditSettings
from commitments.config import CommitmentsSettings
from commitments.publisher.config import PublisherSettings
from notifications.config import NotificationsSettings
from reporting.config import ReportingSettings
from shared.nats_auth import NatsAuth

# The command's first words -> the settings it reads. The commitments API reads the audit settings
# too (its audit routes build AuditSettings from the environment) and connects to NATS for them.
READS: dict[tuple[str, ...], tuple[type[BaseSettings], ...]] = {
    ("serve", "commitments"): (AuditSettings, NatsAuth),
    ("publisher",): (PublisherSettings, NatsAuth),
    ("audit", "sealer"): (AuditSettings, NatsAuth),
    ("serve", "reporting"): (ReportingSettings, NatsAuth),
    ("reporting", "consume"): (ReportingSettings, NatsAuth),
    ("serve", "notifications"): (NotificationsSettings, NatsAuth),
    ("seed",): (CommitmentsSettings,),
}
HTTP = {("serve", "commitments"), ("serve", "reporting"), ("serve", "notifications")}


@dataclass(frozen=True)
class Invocation:
    key: tuple[str, ...]
    params: dict[str, Any]
    settings: tuple[type[BaseSettings], ...]

    @property
    def is_http(self) -> bool:
        return self.key in HTTP


@cache
def cli() -> Any:
    """The `camket` command tree as `main()` builds it (typer's own click: groups have `.commands`)."""
    from shared import cli as shared_cli

    for entry in entry_points(group="camket.cli"):
        entry.load()(shared_cli.app, shared_cli.serve)
    return typer.main.get_command(shared_cli.app)


def resolve(argv: list[str]) -> Invocation:
    """Parses argv as the shell would run it; raises (a usage error) if it is not a real command."""
    assert argv[0] == "camket", f"not the camket entry point: {argv}"
    command = cli()
    words: list[str] = []
    rest = argv[1:]
    while hasattr(command, "commands") and rest and rest[0] in command.commands:
        words.append(rest[0])
        command = command.commands[rest.pop(0)]
    assert not hasattr(command, "commands"), f"{argv} names a group, not a command"
    context = command.make_context(" ".join(["camket", *words]), list(rest))
    key = tuple(words)
    assert key in READS, f"{argv}: a real command, but not a process these checks know: add it to READS"
    return Invocation(key, dict(context.params), READS[key])


def env_names(settings: type[BaseSettings]) -> set[str]:
    """The variables pydantic-settings looks up for each field (case-insensitively: upper-cased)."""
    config = settings.model_config
    prefix = str(config.get("env_prefix", ""))
    names: set[str] = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {choice.upper() for choice in alias.choices if isinstance(choice, str)}
        elif isinstance(alias, str):
            names.add(alias.upper())
        if alias is None or config.get("populate_by_name"):
            names.add(f"{prefix}{name}".upper())
    return names


def reads(invocation: Invocation) -> set[str]:
    return set().union(*(env_names(s) for s in invocation.settings))


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Exactly `values` as the CAMKET_* environment (the machine's own CAMKET_* set aside)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("CAMKET_")}
    for name in saved:
        del os.environ[name]
    os.environ.update(values)
    try:
        yield
    finally:
        for name in values:
            os.environ.pop(name, None)
        os.environ.update(saved)


def settings_under(invocation: Invocation, values: Mapping[str, str]) -> list[BaseSettings]:
    """Builds every settings class of the process from `values`: they must validate."""
    with environment(values):
        return [settings() for settings in invocation.settings]


def listening_port(invocation: Invocation, values: Mapping[str, str]) -> int:
    """Where an HTTP process listens: --port, else its settings' port."""
    if invocation.params.get("port"):
        return int(invocation.params["port"])
    port = settings_under(invocation, values)[0].port  # type: ignore[attr-defined]
    return int(port)
