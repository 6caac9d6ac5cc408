"""The ``vigie`` console command: one click group, one sub-group per room.

Sub-commands are imported when they run (:class:`vigie_cli.lazy.LazyGroup`):
``vigie --help`` imports no room, ``vigie survey check`` only the rule book.
Every help text is a ``cli.help.*`` catalog entry in the command's language
(:mod:`vigie_cli.words`).
"""

from __future__ import annotations

import copy
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from vigie_cli.lazy import LazyGroup
from vigie_cli.words import click_speaking, help_text, language

#: Sub-command -> (``module:attribute`` of its click command, the catalog id of its help text).
COMMANDS = {
    "survey": ("vigie_cli.survey:survey", "cli.help.survey"),
    "db": ("vigie_cli.db:db", "cli.help.db"),
    "benchmarks": ("vigie_cli.benchmarks:benchmarks", "cli.help.benchmarks"),
    "campaigns": ("vigie_cli.campaigns:campaigns", "cli.help.campaigns"),
    "estimate": ("vigie_cli.estimate:estimate", "cli.help.estimate"),
    "demo": ("vigie_cli.demo:demo", "cli.help.demo"),
    "responses": ("vigie_cli.responses:responses", "cli.help.responses"),
    "bot": ("vigie_cli.bot:bot", "cli.help.bot"),
    "users": ("vigie_cli.users:users", "cli.help.users"),
    "worker": ("vigie_cli.worker:worker", "cli.help.worker"),
}


def _web_app() -> Flask:
    from webapp import create_app

    return create_app()


class VigieGroup(LazyGroup, FlaskGroup):
    """Lazy sub-commands of Vigie, plus Flask's own (``vigie run``, ``vigie routes``).

    Listing the commands never loads the web app, so ``vigie --help`` stays fast.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command, Click's own words ("Usage:", errors) in the command's language."""
        with click_speaking(language()):
            return super().main(*args, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Flask's own options and commands, said in the command's language too.
        options = {
            "version": help_text("cli.help.option.version"),
            "env_file": help_text("cli.help.flask.env_file"),
            "app": help_text("cli.help.flask.app"),
            "debug": help_text("cli.help.flask.debug"),
        }
        for param in self.params:
            if isinstance(param, click.Option) and param.name in options:
                param.help = options[param.name]
        commands = {
            "run": help_text("cli.help.flask.run"),
            "shell": help_text("cli.help.flask.shell"),
            "routes": help_text("cli.help.flask.routes"),
        }
        for name, text in commands.items():
            if name in self.commands:  # a copy: Flask's command objects stay Flask's
                command = copy.copy(self.commands[name])
                command.help, command.short_help = text, None
                self.commands[name] = command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*click.Group.list_commands(self, ctx), *self.lazy})


@click.group(
    cls=VigieGroup,
    lazy=COMMANDS,
    create_app=_web_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
    help=help_text("cli.help.vigie"),
)
@click.version_option(package_name="vigie")
def cli() -> None:
    pass
