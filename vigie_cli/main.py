"""The ``vigie`` console command: one click group, one sub-group per room."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from vigie_cli.benchmarks import benchmarks
from vigie_cli.campaigns import campaigns
from vigie_cli.db import db
from vigie_cli.demo import demo
from vigie_cli.estimate import estimate
from vigie_cli.responses import responses
from vigie_cli.survey import survey


def _web_app() -> Flask:
    from webapp import create_app

    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_web_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
    help="Vigie: community-safety surveys, from questionnaire to weighted estimate.",
)
@click.version_option(package_name="vigie")
def cli() -> None:
    pass


cli.add_command(survey)
cli.add_command(db)
cli.add_command(benchmarks)
cli.add_command(campaigns)
cli.add_command(estimate)
cli.add_command(demo)
cli.add_command(responses)
