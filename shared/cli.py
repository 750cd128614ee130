"""The `camket` command. Each service adds its commands through the `camket.cli` entry point group,
so this module never imports a service."""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from typing import Annotated

import typer

from shared.auth.devkeys import DEV_USERS, KEY_NAMES, ensure_key_pair, load_private_key
from shared.auth.tokens import ROLES, mint_token
from shared.settings import CamketSettings

app = typer.Typer(help="Cam kết — the annual key work program and each unit's commitments.", no_args_is_help=True)
serve = typer.Typer(help="Run a service.", no_args_is_help=True)
app.add_typer(serve, name="serve")


@app.command("dev-keys")
def dev_keys() -> None:
    """Create the development key pairs (tokens, event signing, checkpoints) under .camket/keys if missing."""
    settings = CamketSettings()
    for name in KEY_NAMES:
        typer.echo(ensure_key_pair(settings.keys_dir, name))


@app.command("mint-token")
def mint(role: Annotated[str, typer.Option(help=f"One of {', '.join(sorted(ROLES))}")],
         unit: Annotated[str | None, typer.Option(help="Unit code (defaults to the role's sample user)")] = None,
         user: Annotated[str | None, typer.Option(help="User id")] = None,
         name: Annotated[str | None, typer.Option(help="Display name")] = None,
         hours: Annotated[int, typer.Option(min=1, max=24 * 30)] = 12) -> None:
    """Print a development bearer token (signed with .camket/keys/jwt.pem). Only in development and test."""
    if (os.environ.get("CAMKET_ENVIRONMENT") or "development").strip().lower() not in ("development", "test"):
        # Read before the settings: a token signed with a laptop key must never exist beside real ones,
        # whatever else the production settings say.
        typer.echo(f"camket mint-token: refused, CAMKET_ENVIRONMENT is {os.environ['CAMKET_ENVIRONMENT']} (not "
                   "development or test); tokens come from the identity provider there", err=True)
        raise typer.Exit(2)
    if role not in ROLES:
        raise typer.BadParameter(f"unknown role {role!r}", param_hint="--role")
    settings = CamketSettings()
    default_user, default_name, default_unit = DEV_USERS[role]
    key = load_private_key(ensure_key_pair(settings.keys_dir, "jwt"))
    typer.echo(mint_token(key, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                          user_id=user or default_user, name=name or default_name, unit=unit or default_unit,
                          roles=[role], ttl_seconds=hours * 3600))


def main() -> None:
    from shared.ops.cli import register as register_ops

    register_ops(app)  # camket status | config, from what each service registers below
    for entry in entry_points(group="camket.cli"):
        entry.load()(app, serve)
    app()
