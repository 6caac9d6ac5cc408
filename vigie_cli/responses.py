"""``vigie responses``: the retention of unfinished responses, for a scheduled job.

An unfinished response idle for longer than ``VIGIE_ABANDON_AFTER_DAYS`` (30
by default) is marked abandoned: its partial answers are kept (they are data)
but it can no longer be resumed. Observatories whose retention rule says that
unfinished responses are deleted add ``--delete``.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Final

import click

from i18n import N_, MessageTable
from intake.settings import DEFAULT_ABANDON_AFTER_DAYS
from storage.engine import (
    SchemaBehind,
    SchemaUnknownError,
    check_schema_current,
    make_engine,
    make_session_factory,
)
from storage.messages import preferred_language
from storage.responses import delete_abandoned, purge_abandoned

_TEXTS: Final = MessageTable(
    "cli.responses.",
    (
        N_("cli.responses.marked"),
        N_("cli.responses.deleted"),
        N_("cli.responses.bad_days"),
    ),
)


def _text(key: str, language: str, **params: object) -> str:
    return _TEXTS.render(key, language, **params)


def _days_from_environment(language: str) -> int:
    raw = os.environ.get("VIGIE_ABANDON_AFTER_DAYS", "").strip()
    if not raw:
        return DEFAULT_ABANDON_AFTER_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise click.ClickException(_text("bad_days", language, value=raw))
    return int(raw)


@click.group(name="responses", help="Retention of unfinished responses.")
def responses() -> None:
    pass


@responses.command(help="Mark (or, with --delete, delete) unfinished responses left idle.")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Idle days; defaults to $VIGIE_ABANDON_AFTER_DAYS, then 30.",
)
@click.option("--delete", is_flag=True, help="Delete them with their answers instead.")
@click.option(
    "--database-url",
    default=None,
    help="Database URL; defaults to $DATABASE_URL, then sqlite:///instance/vigie.db.",
)
def abandon(days: int | None, delete: bool, database_url: str | None) -> None:
    language = preferred_language(os.environ)
    idle_days = days if days is not None else _days_from_environment(language)
    engine = make_engine(database_url)
    try:
        try:
            check_schema_current(engine)
        except (SchemaBehind, SchemaUnknownError) as error:
            raise click.ClickException(error.render(language)) from error
        with make_session_factory(engine).begin() as session:
            older_than = dt.timedelta(days=idle_days)
            if delete:
                count = delete_abandoned(session, older_than)
            else:
                count = purge_abandoned(session, older_than)
    finally:
        engine.dispose()
    click.echo(_text("deleted" if delete else "marked", language, count=count, days=idle_days))
