"""``vigie survey``: check and simulate questionnaire definitions."""

from __future__ import annotations

import click

from vigie_cli.lazy import LazyGroup

#: Sub-command -> (``module:attribute`` of its click command, its help text).
COMMANDS = {
    "check": (
        "vigie_cli.survey_check:check",
        "Check questionnaire definitions and list every problem.",
    ),
    "simulate": (
        "vigie_cli.survey_simulate:simulate",
        "Walk random respondents through a questionnaire.",
    ),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    help="Check and simulate questionnaire definitions (survey_defs/*.yaml).",
)
def survey() -> None:
    pass
