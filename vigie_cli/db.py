"""Placeholder until its command is written; it says so when run."""

from __future__ import annotations

import click


@click.command(name="db", help="Not available yet.")
def db() -> None:
    raise click.ClickException("'db' is not available yet in this version of Vigie.")
