"""``vigie responses``: the retention of unfinished responses, for a scheduled job.

An unfinished response idle for longer than ``VIGIE_ABANDON_AFTER_DAYS`` (30
by default) is marked abandoned: its partial answers are kept (they are data)
but it can no longer be resumed. Observatories whose retention rule says that
unfinished responses are deleted add ``--delete`` (observatory.retention).
"""

from __future__ import annotations

import click

from i18n import translate
from vigie_cli.console import database_option, language, open_services
from vigie_cli.words import help_text


@click.group(name="responses", help=help_text("cli.help.responses"))
def responses() -> None:
    pass


@responses.command(help=help_text("cli.help.responses.abandon"))
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help=help_text("cli.help.responses.abandon.idle_days"),
)
@click.option("--delete", is_flag=True, help=help_text("cli.help.responses.abandon.delete"))
@database_option
def abandon(days: int | None, delete: bool, database_url: str | None) -> None:
    lang = language()
    with open_services(lang, database_url=database_url) as services:
        run = services.observatory.apply_retention(days, delete=delete)
    if run.deleted:
        click.echo(translate(lang, "cli.responses.deleted", count=run.count, days=run.idle_days))
    else:
        click.echo(translate(lang, "cli.responses.marked", count=run.count, days=run.idle_days))
