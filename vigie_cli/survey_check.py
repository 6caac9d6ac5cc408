"""Placeholder until its command is written; it says so when run."""

from __future__ import annotations

import click


@click.command(name="check", help="Not available yet.")
def check() -> None:
    raise click.ClickException("'check' is not available yet in this version of Vigie.")
