"""What every ``vigie`` command shares: its language, the services, the way it fails.

Messages follow ``VIGIE_LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``
(French or English; English otherwise): :func:`vigie_cli.words.language`.
An :class:`observatory.ObservatoryError` becomes a clean one-line error (its problems
first, on standard error), never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from observatory import ObservatoryError
from services import Services, build_services, load_settings
from vigie_cli.words import help_text, language

__all__ = ["database_option", "fail", "language", "open_services"]

F = TypeVar("F", bound=Callable[..., object])

#: ``--database-url``, shared by the commands that open the database.
database_option: Callable[[F], F] = click.option(
    "--database-url",
    default=None,
    help=help_text("cli.help.option.database_url"),
)


def fail(error: ObservatoryError, lang: str) -> NoReturn:
    """Print the error's problems on standard error, then stop with its message (status 1)."""
    for line in error.problem_lines(lang):
        click.echo(line, err=True)
    raise click.ClickException(error.render(lang)) from error


@contextmanager
def open_services(
    lang: str, *, database_url: str | None = None, survey_defs: Path | None = None
) -> Iterator[Services]:
    """The services for this command (settings from the environment, options over them).

    Any :class:`ObservatoryError` raised while they are open stops the command cleanly.
    """
    try:
        settings = load_settings().overridden(database_url=database_url, survey_defs=survey_defs)
        with build_services(settings, eager=False) as services:
            yield services
    except ObservatoryError as error:
        fail(error, lang)
