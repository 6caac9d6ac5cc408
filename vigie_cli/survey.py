"""``vigie survey``: check and simulate questionnaire definitions."""

from __future__ import annotations

import click

from vigie_cli.survey_check import check
from vigie_cli.survey_simulate import simulate


@click.group(help="Check and simulate questionnaire definitions (survey_defs/*.yaml).")
def survey() -> None:
    pass


survey.add_command(check)
survey.add_command(simulate)
