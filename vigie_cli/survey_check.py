"""``vigie survey check FILE...``: load definitions and report every problem.

Prints each problem on one line (``file:line:col: [code] message. Fix: ...``),
then one summary line per file, and exits with status 1 if any file has a
problem. A missing or unreadable file is a problem line, never a traceback.
"""

from __future__ import annotations

import click

from i18n import translate, translate_plural
from questionnaire.loader import LoadResult, load_file
from vigie_cli.words import help_text
from vigie_cli.words import language as command_language


def summary_line(result: LoadResult, language: str = "en") -> str:
    """The one-line verdict on one file, in ``language`` (``en`` or ``fr``)."""
    if result.survey is None:
        count = len(result.errors)
        return translate_plural(
            language, "cli.check.bad", "cli.check.bad_plural", count, file=result.file
        )
    survey = result.survey
    return translate(
        language,
        "cli.check.ok",
        file=result.file,
        version=survey.version,
        questions=len(survey.questions()),
        hash=survey.content_hash[:8],
    )


@click.command(name="check", help=help_text("cli.help.survey.check"))
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    default=None,
    help=help_text("cli.help.option.language"),
)
def check(files: tuple[str, ...], language: str | None) -> None:
    """Load each FILE, print its problems, then a summary line per file."""
    language = language or command_language()
    results = [load_file(path) for path in files]
    shown: set[str] = set()
    for result in results:
        for error in result.errors:
            line = error.render(language)
            if line not in shown:  # a block included by several files: once is enough
                shown.add(line)
                click.echo(line)
    for result in results:
        click.echo(summary_line(result, language))
    if any(result.errors for result in results):
        raise SystemExit(1)
