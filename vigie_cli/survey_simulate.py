"""``vigie survey simulate FILE --paths N``: walk random respondents through a questionnaire.

Loads the definition (printing its problems and exiting with status 1 if it
does not load), runs :func:`questionnaire.simulation.simulate.simulate`, prints a
summary and exits with status 1 if any problem was found or any question the
channel should ask was never reached (on Telegram, sensitive questions are
expected to stay unreached).
"""

from __future__ import annotations

import datetime as dt

import click

from i18n import N_, translate
from questionnaire.definition.errors import DefinitionErrors
from questionnaire.loader import load_survey
from questionnaire.simulation import simulate as simulation
from questionnaire.simulation.report import PROBLEM_KINDS, SimulationReport
from vigie_cli.words import help_text
from vigie_cli.words import language as command_language


def _names(names: list[str], language: str) -> str:
    return ", ".join(names) if names else translate(language, "cli.simulate.none")


def summary_lines(report: SimulationReport, file: str, language: str = "en") -> list[str]:
    """The printed summary of a simulation, in ``language`` (``en`` or ``fr``)."""
    low, median, high = report.asked_range()
    by_design = [name for name in report.unreached if name in report.expected_unreached]
    lines = [
        translate(
            language,
            "cli.simulate.head",
            survey=report.survey_id,
            file=file,
            paths=report.paths,
            channel=report.channel,
            seed=report.seed,
        ),
        translate(
            language,
            "cli.simulate.ends",
            completed=report.completed,
            screened=report.screened_out,
            stopped=report.stopped,
        ),
        translate(language, "cli.simulate.asked", low=low, median=format(median, "g"), high=high),
        translate(
            language,
            "cli.simulate.unreached",
            names=_names(report.unexpected_unreached, language),
        ),
    ]
    if by_design:
        lines.append(translate(language, "cli.simulate.by_design", names=", ".join(by_design)))
    lines.append(translate(language, "cli.simulate.problems", count=len(report.problems)))
    for kind, question, count, example in report.problem_counts():
        lines.append(
            translate(
                language,
                "cli.simulate.problem",
                kind=kind,
                question=question or "-",
                count=count,
                meaning=PROBLEM_KINDS.render(kind, language),
                number=example.path_number,
                detail=example.detail,
            )
        )
    verdict = N_("cli.simulate.verdict_ok") if report.ok else N_("cli.simulate.verdict_bad")
    lines.append(translate(language, verdict))
    return lines


@click.command(name="simulate", help=help_text("cli.help.survey.simulate"))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--paths",
    type=click.IntRange(min=1),
    required=True,
    help=help_text("cli.help.survey.simulate.paths"),
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help=help_text("cli.help.option.seed")
)
@click.option(
    "--channel",
    type=click.Choice(["web", "telegram"]),
    default="web",
    show_default=True,
    help=help_text("cli.help.survey.simulate.channel"),
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help=help_text("cli.help.survey.simulate.today"),
)
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    default=None,
    help=help_text("cli.help.option.language"),
)
def simulate(
    file: str,
    paths: int,
    seed: int,
    channel: str,
    today: dt.datetime | None,
    language: str | None,
) -> None:
    """Load FILE, simulate respondents, print a summary; status 1 on any problem."""
    language = language or command_language()
    try:
        survey = load_survey(file)
    except DefinitionErrors as failure:
        for error in failure.errors:
            click.echo(error.render(language))
        raise SystemExit(1) from None
    report = simulation.simulate(
        survey,
        paths=paths,
        seed=seed,
        channel=channel,
        today=today.date() if today is not None else None,
    )
    for line in summary_lines(report, file, language):
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)
