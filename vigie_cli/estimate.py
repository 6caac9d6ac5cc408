"""Placeholder until its command is written; it says so when run."""

from __future__ import annotations

import click


@click.command(name="estimate", help="Not available yet.")
def estimate() -> None:
    raise click.ClickException("'estimate' is not available yet in this version of Vigie.")
