"""The ``vigie`` console command: one click group, one sub-group per room.

Sub-commands are imported when they run (:class:`vigie_cli.lazy.LazyGroup`):
``vigie --help`` imports no room, ``vigie survey check`` only the rule book.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from vigie_cli.lazy import LazyGroup

#: Sub-command -> (``module:attribute`` of its click command, its help text).
COMMANDS = {
    "survey": (
        "vigie_cli.survey:survey",
        "Check and simulate questionnaire definitions (survey_defs/*.yaml).",
    ),
    "db": ("vigie_cli.db:db", "Create and migrate the database (DATABASE_URL)."),
    "benchmarks": (
        "vigie_cli.benchmarks:benchmarks",
        "Population benchmarks (census margins) for weighting.",
    ),
    "campaigns": (
        "vigie_cli.campaigns:campaigns",
        "Distribution campaigns of community organisations.",
    ),
    "estimate": (
        "vigie_cli.estimate:estimate",
        "Weighted estimates of every indicator in every municipality, written to --out "
        "(.csv or .parquet).",
    ),
    "demo": (
        "vigie_cli.demo:demo",
        "A demonstration database, and a short reading of its estimates.",
    ),
    "responses": ("vigie_cli.responses:responses", "Retention of unfinished responses."),
    "bot": (
        "vigie_cli.bot:bot",
        "Run the Telegram bot: long polling, or --webhook URL (TELEGRAM_BOT_TOKEN).",
    ),
    "users": (
        "vigie_cli.users:users",
        "Staff accounts: administrators, analysts, partners.",
    ),
    "worker": ("vigie_cli.worker:worker", "Run the job queue's worker (estimate runs, retention)."),
}


def _web_app() -> Flask:
    from webapp import create_app

    return create_app()


class VigieGroup(LazyGroup, FlaskGroup):
    """Lazy sub-commands of Vigie, plus Flask's own (``vigie run``, ``vigie routes``).

    Listing the commands never loads the web app, so ``vigie --help`` stays fast.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*click.Group.list_commands(self, ctx), *self.lazy})


@click.group(
    cls=VigieGroup,
    lazy=COMMANDS,
    create_app=_web_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
    help="Vigie: community-safety surveys, from questionnaire to weighted estimate.",
)
@click.version_option(package_name="vigie")
def cli() -> None:
    pass
