"""Click groups whose sub-commands are imported only when they run.

``vigie --help`` used to import every room (the statistics stack, SQLAlchemy,
Alembic, pandas) to print a list of names; ``vigie survey check`` imported
the estimation pipeline it never uses. A :class:`LazyGroup` knows each
sub-command by its import path and the catalog id of its help text, so
listing them imports nothing, and running one imports that one only.
``tests/cli/test_startup.py`` checks that the help texts named here are the
commands' own.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

from vigie_cli.words import help_text


class LazyGroup(click.Group):
    """A group whose sub-commands are ``name -> ("module:attribute", catalog id of its help)``."""

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        return load_command(self.lazy[cmd_name][0])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of sub-commands with their one-line help, without importing them."""
        rows = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(n) for n in names), default=0)
        for name in names:
            if name in self.lazy:  # click's own shortening, on a stand-in without the import
                stand_in = click.Command(name, help=help_text(self.lazy[name][1]))
                rows.append((name, stand_in.get_short_help_str(limit)))
                continue
            command = super().get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section(help_text("cli.help.commands")):
                formatter.write_dl(rows)


def load_command(target: str) -> click.Command:
    """The click command at ``"module:attribute"``."""
    module_name, attribute = target.split(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
        raise TypeError(f"{target} is not a click command")
    return command
