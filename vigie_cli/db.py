"""``vigie db``: create and migrate the database (Alembic, driven from Python).

The database is the one ``DATABASE_URL`` names (default
``sqlite:///instance/vigie.db``); ``--database-url`` overrides it.
"""

from __future__ import annotations

import click

from i18n import translate
from observatory.database import SchemaStatus, downgrade_database, schema_state, upgrade_database
from vigie_cli.console import database_option, language
from vigie_cli.words import help_text


def _state(status: SchemaStatus, lang: str) -> str:
    if status is SchemaStatus.CURRENT:
        return translate(lang, "cli.db.state_current")
    if status is SchemaStatus.BEHIND:
        return translate(lang, "cli.db.state_behind")
    return translate(lang, "cli.db.state_unknown")


def _revision(revision: str | None, lang: str) -> str:
    return revision or translate(lang, "cli.db.no_revision")


@click.group(name="db", help=help_text("cli.help.db"))
def db() -> None:
    pass


@db.command(help=help_text("cli.help.db.upgrade"))
@click.argument("revision", default="head")
@database_option
def upgrade(revision: str, database_url: str | None) -> None:
    lang = language()
    reached = upgrade_database(database_url, revision)
    click.echo(translate(lang, "cli.db.upgraded", revision=reached))


@db.command(help=help_text("cli.help.db.downgrade"))
@click.argument("revision")
@database_option
def downgrade(revision: str, database_url: str | None) -> None:
    lang = language()
    reached = downgrade_database(database_url, revision)
    click.echo(translate(lang, "cli.db.downgraded", revision=_revision(reached, lang)))


@db.command(help=help_text("cli.help.db.current"))
@database_option
def current(database_url: str | None) -> None:
    lang = language()
    state = schema_state(database_url)
    click.echo(
        translate(
            lang,
            "cli.db.current",
            url=state.url,
            current=_revision(state.current, lang),
            head=state.head,
            state=_state(state.status, lang),
        )
    )
    if state.status is not SchemaStatus.CURRENT:
        raise SystemExit(1)
