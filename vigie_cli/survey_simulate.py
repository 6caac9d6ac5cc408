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

from questionnaire.definition.errors import DefinitionErrors
from questionnaire.loader import load_survey
from questionnaire.simulation import simulate as simulation
from questionnaire.simulation.report import PROBLEM_KINDS, SimulationReport

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "head": "{survey} ({file}): {paths} simulated paths on {channel}, seed {seed}",
        "ends": "  completed: {completed}, screened out: {screened}, stopped: {stopped}",
        "asked": "  questions answered per path: min {low}, median {median}, max {high}",
        "unreached": "  questions never reached: {names}",
        "by_design": "  not asked on this channel by design (sensitive): {names}",
        "problems": "  problems: {count}",
        "problem": "    [{kind}] {question}: {count} path(s), {meaning}; "
        "e.g. path {number}: {detail}",
        "none": "none",
        "verdict_ok": "OK",
        "verdict_bad": "FAILED",
    },
    "fr": {
        "head": "{survey} ({file}) : {paths} parcours simulés sur {channel}, graine {seed}",
        "ends": "  terminés : {completed}, exclus : {screened}, arrêtés : {stopped}",
        "asked": "  questions répondues par parcours : min {low}, médiane {median}, max {high}",
        "unreached": "  questions jamais atteintes : {names}",
        "by_design": "  non posées sur ce canal par choix (délicates) : {names}",
        "problems": "  problèmes : {count}",
        "problem": "    [{kind}] {question} : {count} parcours, {meaning}; "
        "p. ex. parcours {number} : {detail}",
        "none": "aucune",
        "verdict_ok": "OK",
        "verdict_bad": "ÉCHEC",
    },
}


def _names(names: list[str], words: dict[str, str]) -> str:
    return ", ".join(names) if names else words["none"]


def summary_lines(report: SimulationReport, file: str, language: str = "en") -> list[str]:
    """The printed summary of a simulation, in ``language`` (``en`` or ``fr``)."""
    words = _WORDS.get(language, _WORDS["en"])
    low, median, high = report.asked_range()
    by_design = [name for name in report.unreached if name in report.expected_unreached]
    lines = [
        words["head"].format(
            survey=report.survey_id,
            file=file,
            paths=report.paths,
            channel=report.channel,
            seed=report.seed,
        ),
        words["ends"].format(
            completed=report.completed, screened=report.screened_out, stopped=report.stopped
        ),
        words["asked"].format(low=low, median=f"{median:g}", high=high),
        words["unreached"].format(names=_names(report.unexpected_unreached, words)),
    ]
    if by_design:
        lines.append(words["by_design"].format(names=", ".join(by_design)))
    lines.append(words["problems"].format(count=len(report.problems)))
    for kind, question, count, example in report.problem_counts():
        lines.append(
            words["problem"].format(
                kind=kind,
                question=question or "-",
                count=count,
                meaning=PROBLEM_KINDS[kind][language if language in ("en", "fr") else "en"],
                number=example.path_number,
                detail=example.detail,
            )
        )
    lines.append(words["verdict_ok"] if report.ok else words["verdict_bad"])
    return lines


@click.command(name="simulate", help="Walk random respondents through a questionnaire.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--paths", type=click.IntRange(min=1), required=True, help="Number of respondents to walk."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--channel",
    type=click.Choice(["web", "telegram"]),
    default="web",
    show_default=True,
    help="Channel simulated (sensitive questions are web only).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Day start dates are drawn back from (default: today).",
)
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    envvar="VIGIE_LANGUAGE",
    help="Language of the messages (or VIGIE_LANGUAGE).",
)
def simulate(
    file: str,
    paths: int,
    seed: int,
    channel: str,
    today: dt.datetime | None,
    language: str,
) -> None:
    """Load FILE, simulate respondents, print a summary; status 1 on any problem."""
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
