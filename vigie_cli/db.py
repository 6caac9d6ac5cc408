"""``vigie db``: create and migrate the database (Alembic, driven from Python).

The database is the one ``DATABASE_URL`` names (default
``sqlite:///instance/vigie.db``); ``--database-url`` overrides it.
"""

from __future__ import annotations

import os

import click

from storage import migrate
from storage.engine import make_engine
from storage.messages import preferred_language, render

_URL_OPTION = click.option(
    "--database-url",
    default=None,
    help="Database URL; defaults to $DATABASE_URL, then sqlite:///instance/vigie.db.",
)


def _say(code: str, **params: object) -> None:
    click.echo(render(code, params, preferred_language(os.environ)))


@click.group(name="db", help="Create and migrate the database (DATABASE_URL).")
def db() -> None:
    pass


@db.command(help="Migrate the database to REVISION (the latest by default).")
@click.argument("revision", default="head")
@_URL_OPTION
def upgrade(revision: str, database_url: str | None) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, revision)
        _say("cli_upgraded", revision=migrate.current_revision(engine))
    finally:
        engine.dispose()


@db.command(help="Migrate the database down to REVISION ('base' removes every table).")
@click.argument("revision")
@_URL_OPTION
def downgrade(revision: str, database_url: str | None) -> None:
    engine = make_engine(database_url)
    try:
        migrate.downgrade(engine, revision)
        language = preferred_language(os.environ)
        current = migrate.current_revision(engine) or render("no_revision", {}, language)
        _say("cli_downgraded", revision=current)
    finally:
        engine.dispose()


@db.command(help="Show the database's revision and whether it is up to date.")
@_URL_OPTION
def current(database_url: str | None) -> None:
    engine = make_engine(database_url)
    try:
        language = preferred_language(os.environ)
        revision = migrate.current_revision(engine)
        head = migrate.head_revision()
        if revision == head:
            state = "cli_state_current"
        elif revision is None or revision in migrate.known_revisions():
            state = "cli_state_behind"
        else:
            state = "cli_state_unknown"
        _say(
            "cli_current",
            url=engine.url.render_as_string(hide_password=True),
            current=revision or render("no_revision", {}, language),
            head=head,
            state=render(state, {}, language),
        )
        if state != "cli_state_current":
            raise SystemExit(1)
    finally:
        engine.dispose()
