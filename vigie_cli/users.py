"""``vigie users``: staff accounts (observatory.users)."""

from __future__ import annotations

import sys

import click

from i18n import translate
from vigie_cli.console import database_option, language, open_services
from vigie_cli.words import help_text


@click.group(name="users", help=help_text("cli.help.users"))
def users() -> None:
    pass


@users.command(help=help_text("cli.help.users.create"))
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "analyst", "partner"]),
    help=help_text("cli.help.users.create.role"),
)
@click.option("--organisation", default=None, help=help_text("cli.help.users.create.organisation"))
@click.option(
    "--invite",
    is_flag=True,
    help=help_text("cli.help.users.create.invite"),
)
@click.option(
    "--password-stdin", is_flag=True, help=help_text("cli.help.users.create.password_stdin")
)
@database_option
def create(
    email: str,
    role: str,
    organisation: str | None,
    invite: bool,
    password_stdin: bool,
    database_url: str | None,
) -> None:
    lang = language()
    password: str | None = None
    if password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
    elif not invite:
        password = click.prompt(
            translate(lang, "cli.users.password_prompt"),
            hide_input=True,
            confirmation_prompt=translate(lang, "cli.users.password_again"),
        )
    with open_services(lang, database_url=database_url) as services:
        made = services.observatory.accounts.create_user(
            email, role, organisation=organisation, password=password
        )
    click.echo(translate(lang, "cli.users.created", email=made.user.email, role=made.user.role))
    if made.code:
        click.echo(translate(lang, "cli.users.invitation", code=made.code))


@users.command(name="list", help=help_text("cli.help.users.list"))
@database_option
def list_command(database_url: str | None) -> None:
    lang = language()
    with open_services(lang, database_url=database_url) as services:
        rows = services.observatory.accounts.users()
    yes, no = translate(lang, "cli.yes"), translate(lang, "cli.no")
    for row in rows:
        active = yes if row.active else no
        click.echo("\t".join([row.email, row.role, row.organisation or "-", active]))
