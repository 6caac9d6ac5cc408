"""Placeholder until its command is written; it says so when run."""

from __future__ import annotations

import click


@click.command(name="simulate", help="Not available yet.")
def simulate() -> None:
    raise click.ClickException("'simulate' is not available yet in this version of Vigie.")
