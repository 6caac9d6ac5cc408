"""Placeholder until its command is written; it says so when run."""

from __future__ import annotations

import click


@click.command(name="benchmarks", help="Not available yet.")
def benchmarks() -> None:
    raise click.ClickException("'benchmarks' is not available yet in this version of Vigie.")
