"""The ``vigie`` console command: one click group, one sub-group per room.

Each sub-command's module is imported when that sub-command runs (or when the
help lists them), so ``vigie survey check`` never loads the statistics stack.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click
from flask.cli import FlaskGroup

#: Sub-command name -> ``module:attribute`` of its click command.
COMMANDS = {
    "survey": "vigie_cli.survey:survey",
    "db": "vigie_cli.db:db",
    "benchmarks": "vigie_cli.benchmarks:benchmarks",
    "campaigns": "vigie_cli.campaigns:campaigns",
    "estimate": "vigie_cli.estimate:estimate",
    "demo": "vigie_cli.demo:demo",
    "responses": "vigie_cli.responses:responses",
}


#: The web app Flask's commands (``vigie run``, ``routes``, ``shell``) load, by name:
#: the command line and the web form are independent rooms.
WEB_APP = "webapp:create_app"


class LazyGroup(FlaskGroup):
    """A Flask command group (``vigie run``, ``routes``, ``shell``) whose own sub-commands
    are imported on first use."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        os.environ.setdefault("FLASK_APP", WEB_APP)
        return super().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
            raise TypeError(f"{COMMANDS[cmd_name]} is not a click command")
        return command


@click.group(
    cls=LazyGroup,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
    help="Vigie: community-safety surveys, from questionnaire to weighted estimate.",
)
@click.version_option(package_name="vigie")
def cli() -> None:
    pass
