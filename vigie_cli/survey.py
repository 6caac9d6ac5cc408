"""``vigie survey``: check and simulate questionnaire definitions."""

from __future__ import annotations

import click

from vigie_cli.lazy import LazyGroup
from vigie_cli.words import help_text

#: Sub-command -> (``module:attribute`` of its click command, the catalog id of its help text).
COMMANDS = {
    "check": ("vigie_cli.survey_check:check", "cli.help.survey.check"),
    "simulate": ("vigie_cli.survey_simulate:simulate", "cli.help.survey.simulate"),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    help=help_text("cli.help.survey"),
)
def survey() -> None:
    pass
